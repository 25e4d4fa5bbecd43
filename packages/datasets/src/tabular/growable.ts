type TypedArray = Int32Array | Uint32Array | Float64Array;

interface TypedArrayConstructor<T extends TypedArray> {
  new (length: number): T;
}

const firstChunkLength = 1 << 10;
const maxChunkLength = 1 << 20;

/**
 * An append-only list of numbers stored in typed-array chunks, so growing it never copies
 * what it holds. Chunks start at 1,024 entries and double up to 1,048,576, so short lists
 * stay small. `toArray` concatenates the chunks into one array of the exact length.
 */
export class ChunkedArray<T extends TypedArray> {
  private readonly chunks: T[] = [];
  private current: T;
  private used = 0;
  private total = 0;

  constructor(private readonly type: TypedArrayConstructor<T>) {
    this.current = new type(firstChunkLength);
  }

  get length(): number {
    return this.total;
  }

  push(value: number): void {
    if (this.used === this.current.length) {
      this.chunks.push(this.current);
      this.current = new this.type(Math.min(2 * this.current.length, maxChunkLength));
      this.used = 0;
    }
    this.current[this.used++] = value;
    this.total++;
  }

  /** Returns the values as one array and empties the list. */
  toArray(): T {
    const out = new this.type(this.total);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    out.set(this.current.subarray(0, this.used), offset);
    this.chunks.length = 0;
    this.current = new this.type(firstChunkLength);
    this.used = 0;
    this.total = 0;
    return out;
  }
}

/**
 * Maps the index of a data record to its starting line number without storing one number
 * per record. A record is stored only when it does not start on the line after the previous
 * record's start: the first record, and records after a blank line or after a record that
 * spans several lines.
 */
export class RecordLines {
  private readonly records: number[] = [];
  private readonly lines: number[] = [];
  private nextRecord = 0;
  private nextLine = -1;

  /** Registers the next record (records arrive in order) as starting at `line`. */
  push(line: number): void {
    if (line !== this.nextLine) {
      this.records.push(this.nextRecord);
      this.lines.push(line);
    }
    this.nextRecord++;
    this.nextLine = line + 1;
  }

  /** Returns the line number of record `t`. */
  lineOf(t: number): number {
    let low = 0;
    let high = this.records.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.records[middle] as number) <= t) low = middle;
      else high = middle - 1;
    }
    return (this.lines[low] as number) + (t - (this.records[low] as number));
  }
}
