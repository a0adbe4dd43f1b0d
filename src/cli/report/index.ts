/** What the CLI writes about a run: terminal reading, HTML report, record copies. */
export { analyzeRecord, rangePoints, recordAnalysisOptions } from './record-analysis';
export { plotWidth, renderAnalysisReport } from './terminal';
export { renderRangeTestReport, type ReportOptions } from './html';
export { lossChartSvg, niceTicks, type ChartMarker, type LossChartInput } from './svg-chart';
export { recordJson, reportsDirFor, writeFileAtomic } from './files';
export { escapeHtml } from './escape';
