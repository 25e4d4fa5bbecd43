export * from './delimiter.js';
export { readDelimitedFile, type DelimitedFileOptions, type RecordHandler } from './delimited-file.js';
export { parseFiniteNumber } from './numbers.js';
export * from './ratings.js';
export * from './feature-table.js';
export * from './encoder.js';
