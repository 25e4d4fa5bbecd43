// Writes the synthetic example data set of nimc to examples/small/. The data are invented:
// no real person or product is described. The same script always writes the same bytes.
//
//   node examples/generate.mjs [output-folder]
//
// Files written:
// - users.csv: 400 users with id, age, hours_per_week (numeric), region and plan (categorical).
// - items.csv: 300 items with id, genre (categorical), year, length_min and price (numeric).
// - ratings.csv: ratings of the first 320 users, the training set.
// - test.csv: ratings of the last 80 users, who are new users for a model trained on ratings.csv.
//
// A rating is 1 to 5 stars: 3 plus a taste term that depends on the user's age, region and
// plan and the item's genre, plus a small quality term and Gaussian noise, rounded.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const output = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'small');

// mulberry32: a small seeded generator, so the output does not depend on Math.random.
function createRandom(seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  const pick = (values) => values[Math.floor(uniform() * values.length)];
  return { uniform, gaussian, pick };
}

const random = createRandom(20240607);
const regions = ['north', 'south', 'east', 'west'];
const plans = ['free', 'basic', 'premium'];
const genres = ['drama', 'comedy', 'action', 'documentary', 'animation'];

// Genre preference per region and per plan, and how it moves with age (per 10 years).
const regionTaste = Object.fromEntries(regions.map((region) => [region, genres.map(() => random.gaussian() * 0.6)]));
const planTaste = Object.fromEntries(plans.map((plan) => [plan, genres.map(() => random.gaussian() * 0.4)]));
const ageSlope = genres.map(() => random.gaussian() * 0.35);

const users = Array.from({ length: 400 }, (_, i) => ({
  id: `u${String(i + 1).padStart(3, '0')}`,
  age: 18 + Math.floor(random.uniform() * 53),
  hours: Math.round(random.uniform() * 200) / 10,
  region: random.pick(regions),
  plan: random.pick(plans),
}));

const items = Array.from({ length: 300 }, (_, j) => ({
  id: `i${String(j + 1).padStart(3, '0')}`,
  genre: random.pick(genres),
  year: 1970 + Math.floor(random.uniform() * 55),
  length: 70 + Math.floor(random.uniform() * 110),
  price: Math.round((2 + random.uniform() * 18) * 100) / 100,
}));

function rating(user, item) {
  const g = genres.indexOf(item.genre);
  const taste = regionTaste[user.region][g] + planTaste[user.plan][g] + (ageSlope[g] * (user.age - 40)) / 10;
  // Younger users like newer items a little more; heavy users like long ones.
  const quality = (0.25 * (item.year - 1997) * (45 - user.age)) / 500 + (0.1 * (item.length - 120) * (user.hours - 10)) / 500;
  const value = 3.1 + 1.4 * Math.tanh(taste) + quality + 0.5 * random.gaussian();
  return Math.min(5, Math.max(1, Math.round(value)));
}

function ratingLines(selected) {
  const lines = ['user,item,rating'];
  for (const user of selected) {
    const count = 15 + Math.floor(random.uniform() * 26);
    const chosen = new Set();
    while (chosen.size < count) chosen.add(Math.floor(random.uniform() * items.length));
    for (const j of [...chosen].sort((a, b) => a - b)) lines.push(`${user.id},${items[j].id},${rating(user, items[j])}`);
  }
  return `${lines.join('\n')}\n`;
}

mkdirSync(output, { recursive: true });
writeFileSync(
  join(output, 'users.csv'),
  `id,age,hours_per_week,region,plan\n${users.map((u) => `${u.id},${u.age},${u.hours},${u.region},${u.plan}`).join('\n')}\n`,
);
writeFileSync(
  join(output, 'items.csv'),
  `id,genre,year,length_min,price\n${items.map((t) => `${t.id},${t.genre},${t.year},${t.length},${t.price}`).join('\n')}\n`,
);
writeFileSync(join(output, 'ratings.csv'), ratingLines(users.slice(0, 320)));
writeFileSync(join(output, 'test.csv'), ratingLines(users.slice(320)));
