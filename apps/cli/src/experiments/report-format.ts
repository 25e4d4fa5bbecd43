import type { HeatMapOptions, LinePlotOptions } from '../plot/svg.js';

// The experiment report that the documentation site reads from apps/docs/data/ and renders
// with apps/docs/scripts/generate-experiments.mjs.

/** A table of an experiment report: one string, number or null per column in each row. */
export interface ReportTable {
  caption: string;
  columns: string[];
  rows: (string | number | null)[][];
}

/** A line plot of an experiment report, in the form `linePlot` draws. */
export interface ReportLinePlot extends LinePlotOptions {
  kind: 'line';
}

/** A heat map of an experiment report, in the form `heatMap` draws. */
export interface ReportHeatMap extends Omit<HeatMapOptions, 'cellLabels' | 'width' | 'height'> {
  kind: 'heatmap';
}

/** A plot of an experiment report. */
export type ReportPlot = ReportLinePlot | ReportHeatMap;

/**
 * The fields of an experiment report that the documentation site reads: the command line
 * that wrote it, a title and a summary, the settings as a table, then tables and plots.
 */
export interface ExperimentReport {
  command: string;
  title: string;
  summary: string;
  settings: Record<string, string | number | boolean>;
  tables: ReportTable[];
  plots: ReportPlot[];
}
