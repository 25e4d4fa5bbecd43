import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '@nimc/linalg';

/** A temporary folder, removed by `remove`. */
export interface Scratch {
  dir: string;
  path(name: string): string;
  file(name: string, content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

export async function createScratch(): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), 'nimc-core-'));
  return {
    dir,
    path: (name) => join(dir, name),
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Paths of a small synthetic data set. */
export interface SmallData {
  ratings: string;
  test: string;
  users: string;
  items: string;
}

/** Options of `writeSmallData`. */
export interface SmallDataOptions {
  users?: number;
  items?: number;
  /** Ratings per user. */
  perUser?: number;
  /** Multiplies the numeric feature columns. */
  featureScale?: number;
  seed?: number;
}

/**
 * Writes users.csv (id, age, segment, activity), items.csv (id, kind, size) and ratings of
 * the first 80% of users to ratings.csv, the rest to test.csv. A rating is 3 plus a taste
 * term of the user's segment and age and the item's kind and size, plus noise.
 */
export async function writeSmallData(scratch: Scratch, prefix: string, options: SmallDataOptions = {}): Promise<SmallData> {
  const n1 = options.users ?? 60;
  const n2 = options.items ?? 40;
  const perUser = options.perUser ?? 12;
  const scale = options.featureScale ?? 1;
  const random = createRandom(options.seed ?? 1);
  const segments = ['red', 'green', 'blue'];
  const kinds = ['book', 'film', 'game', 'song'];

  const users = Array.from({ length: n1 }, (_, i) => ({
    id: `u${i}`,
    age: 18 + random.integer(50),
    segment: segments[random.integer(segments.length)] as string,
    activity: Math.round(random.uniform() * 100) / 10,
  }));
  const items = Array.from({ length: n2 }, (_, j) => ({
    id: `i${j}`,
    kind: kinds[random.integer(kinds.length)] as string,
    size: 1 + random.integer(9),
  }));
  const taste = segments.map(() => kinds.map(() => random.gaussian()));

  const lines = (from: number, to: number): string => {
    const out = ['user,item,rating'];
    for (let i = from; i < to; i++) {
      const user = users[i] as (typeof users)[number];
      const chosen = new Set<number>();
      while (chosen.size < Math.min(perUser, n2)) chosen.add(random.integer(n2));
      for (const j of chosen) {
        const item = items[j] as (typeof items)[number];
        const preference = (taste[segments.indexOf(user.segment)] as number[])[kinds.indexOf(item.kind)] as number;
        const value = 3 + Math.tanh(preference + (user.age - 40) / 30) + 0.1 * (item.size - 5) + 0.3 * random.gaussian();
        out.push(`${user.id},${item.id},${Math.min(5, Math.max(1, Math.round(value)))}`);
      }
    }
    return `${out.join('\n')}\n`;
  };

  const split = Math.round(0.8 * n1);
  return {
    users: await scratch.file(
      `${prefix}users.csv`,
      `id,age,segment,activity\n${users.map((u) => `${u.id},${u.age * scale},${u.segment},${u.activity * scale}`).join('\n')}\n`,
    ),
    items: await scratch.file(`${prefix}items.csv`, `id,kind,size\n${items.map((t) => `${t.id},${t.kind},${t.size * scale}`).join('\n')}\n`),
    ratings: await scratch.file(`${prefix}ratings.csv`, lines(0, split)),
    test: await scratch.file(`${prefix}test.csv`, lines(split, n1)),
  };
}

/** Relative error |actual − expected| / |expected|. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
