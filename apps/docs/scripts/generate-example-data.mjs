// Writes the made-up example data set of the "Your own data" guide into examples/own-data:
// users.csv and items.csv (features of 100 users and 40 movies), train.csv (ratings of the
// first 80 users) and test.csv (ratings of the last 20 users, who are not in train.csv).
// Ratings follow a simple rule of age, occupation and genre plus noise, so the features carry
// signal. The output is the same on every run.
//
// Usage: node scripts/generate-example-data.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('../examples/own-data/', import.meta.url));
const userCount = 100;
const trainUserCount = 80;
const itemCount = 40;
const ratingsPerUser = 12;
const occupations = ['engineer', 'artist', 'student', 'doctor', 'teacher'];

// Mulberry32: a small seeded generator, so the files do not change between runs.
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = createRandom(2019);
const integer = (low, high) => low + Math.floor(random() * (high - low + 1));
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

const users = Array.from({ length: userCount }, (_, u) => ({
  id: `u${u + 1}`,
  age: integer(16, 70),
  occupation: occupations[integer(0, occupations.length - 1)],
}));
const items = Array.from({ length: itemCount }, (_, i) => ({
  id: `m${i + 1}`,
  action: integer(0, 1),
  drama: integer(0, 1),
  comedy: integer(0, 1),
  year: integer(1960, 2020),
}));

function rating(user, item) {
  let score = 2.8;
  if (user.age < 35 && item.action) score += 1;
  if (user.age >= 35 && item.drama) score += 1;
  if (user.occupation === 'student' && item.comedy) score += 0.8;
  if (user.occupation === 'artist' && item.year < 1990) score += 0.7;
  return Math.min(5, Math.max(1, Math.round(score + 0.4 * gaussian())));
}

function sample(count) {
  const order = items.map((item) => item);
  for (let i = order.length - 1; i > 0; i--) {
    const j = integer(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count);
}

const train = ['user,item,rating'];
const test = ['user,item,rating'];
for (const [u, user] of users.entries()) {
  for (const item of sample(ratingsPerUser)) (u < trainUserCount ? train : test).push(`${user.id},${item.id},${rating(user, item)}`);
}

mkdirSync(folder, { recursive: true });
writeFileSync(`${folder}users.csv`, ['id,age,occupation', ...users.map((u) => `${u.id},${u.age},${u.occupation}`)].join('\n') + '\n');
writeFileSync(`${folder}items.csv`, ['id,action,drama,comedy,year', ...items.map((i) => `${i.id},${i.action},${i.drama},${i.comedy},${i.year}`)].join('\n') + '\n');
writeFileSync(`${folder}train.csv`, `${train.join('\n')}\n`);
writeFileSync(`${folder}test.csv`, `${test.join('\n')}\n`);
console.log(`wrote ${folder}: ${userCount} users, ${itemCount} items, ${train.length - 1} training and ${test.length - 1} test ratings`);
