/** The schedule editor on its own (no run), and the empty panel. */
import type { ScheduleDefaults } from '../../src/protocol/webview';
import type { SeriesChart } from '../charts/series-chart';
import { h, setText } from '../dom';
import { runsToJson } from '../export-data';
import type { Palette } from '../theme';
import type { View, ViewContext, ViewExport } from './context';
import { ScheduleSection } from './schedule-section';

export class ScheduleView implements View {
  readonly root: HTMLElement;
  private readonly section: ScheduleSection;

  constructor(ctx: ViewContext, maxLr: () => number | null, defaults: () => ScheduleDefaults) {
    this.section = new ScheduleSection(ctx, defaults, () => {
      const lr = maxLr();
      return { lr, from: lr === null ? 'type the max LR (no range test yet)' : 'from the latest range test' };
    });
    this.root = h('div', { class: 'view view--schedule' }, h('header', { class: 'row' }, h('h1', { text: 'Schedule' })), this.section.root);
  }

  update(): void {
    this.section.update();
  }

  setPalette(palette: Palette): void {
    this.section.setPalette(palette);
  }

  exports(): ViewExport {
    return {
      label: 'schedule',
      chart: this.section.previewChart,
      csv: () => this.section.csv(),
      json: () => runsToJson([], { schedule: this.section.spec }),
    };
  }

  charts(): Record<string, SeriesChart> {
    return { schedule: this.section.previewChart };
  }

  dispose(): void {
    this.section.dispose();
  }
}

export class EmptyView implements View {
  readonly root: HTMLElement;
  private readonly text: HTMLElement;

  constructor(private readonly message: () => string) {
    this.text = h('p', { class: 'placeholder', id: 'empty-message' });
    this.root = h('div', { class: 'view view--empty' }, this.text);
  }

  update(): void {
    setText(this.text, this.message());
  }

  setPalette(): void {}

  exports(): ViewExport {
    return { label: 'lrscope', chart: null, csv: () => '', json: () => runsToJson([]) };
  }

  charts(): Record<string, SeriesChart> {
    return {};
  }

  dispose(): void {}
}
