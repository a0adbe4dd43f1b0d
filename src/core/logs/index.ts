/** Importers for range-test logs written by other tools: CSV, JSON Lines, JSON. */
export { parseLrLog, formatFromName, type LogFormat, type ParsedLog } from './parse';
export { createLogFollower, type LogFollower } from './follower';
export { LogParseError } from './errors';
export { LR_NAMES, LOSS_NAMES, type LogColumns } from './columns';
export { parseNumberText } from './numbers';
export { parseJsonLenient } from './json';
export { splitCsvRecord, sniffDelimiter, type CsvDelimiter } from './csv';
