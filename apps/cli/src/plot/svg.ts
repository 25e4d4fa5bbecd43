// Dependency-free SVG plots for the command line: line plots with linear or log axes and
// legends, heat maps, and several plots combined into one document. Each function returns
// a standalone SVG document as a string.
export { axisScales, createAxis, formatTick, isDrawable, type Axis, type AxisScale } from './scale.js';
export { linePlot, seriesColors, type LinePlotOptions, type LineSeries } from './line-plot.js';
export { heatMap, viridisColor, type HeatMapOptions } from './heat-map.js';
export { combinePanels, type PanelOptions } from './panels.js';
export { escapeXml } from './xml.js';
