/**
 * The schedule section: flavor, framework, max LR, epochs × steps/epoch and the flavor's own
 * fields; a preview of LR and momentum per step; Insert and Copy. Inputs are built once per
 * flavor and never re-created while the user types; errors show next to their field.
 */
import type { Framework } from '../../src/core/frameworks';
import type { ScheduleSpec } from '../../src/core/schedules/spec';
import type { PreviewFlavor, ScheduleDefaults } from '../../src/protocol/webview';
import { PREVIEW_FLAVORS, WEBVIEW_FRAMEWORKS } from '../../src/protocol/webview';
import { SeriesChart, type Series, type XY } from '../charts/series-chart';
import { compileSchedule, roundLr, specLength } from '../core';
import { h, select, setChildren, setText, show } from '../dom';
import { buildScheduleForm, formatNumber, type FormField, type ScheduleForm } from '../schedule-form';
import type { Palette } from '../theme';
import type { ViewContext } from './context';

/** Where the max LR comes from, for the note beside the field. */
export interface MaxLrSource {
  lr: number | null;
  /** e.g. "picked on the curve", "recommended (valley)". */
  from: string;
}

/** Most points drawn in the preview: longer schedules are sampled evenly (ends included). */
const PREVIEW_POINTS = 2000;

/** LR and momentum of a spec at ≤ PREVIEW_POINTS evenly spaced steps. */
export function previewSeries(spec: ScheduleSpec): { lr: XY[]; momentum: XY[] | null } {
  const schedule = compileSchedule(spec);
  const length = specLength(spec) ?? 1000;
  const n = Math.min(length, PREVIEW_POINTS);
  const steps = Array.from({ length: n }, (_, k) => (n === 1 ? 0 : Math.round((k * (length - 1)) / (n - 1))));
  const momentum = schedule.momentum;
  return {
    lr: steps.map((i) => ({ x: i, y: schedule.lr(i) })),
    momentum: momentum ? steps.map((i) => ({ x: i, y: momentum(i) })) : null,
  };
}

export class ScheduleSection {
  readonly root: HTMLElement;
  private readonly chart: SeriesChart;
  private readonly flavorSelect: HTMLSelectElement;
  private readonly frameworkSelect: HTMLSelectElement;
  private readonly maxLrInput: HTMLInputElement;
  private readonly maxLrNote: HTMLElement;
  private readonly maxLrError: HTMLElement;
  private readonly epochsInput: HTMLInputElement;
  private readonly stepsInput: HTMLInputElement;
  private readonly lengthError: HTMLElement;
  private readonly totalNote: HTMLElement;
  private readonly fieldsBox: HTMLElement;
  private readonly specError: HTMLElement;
  private readonly insertButton: HTMLButtonElement;
  private readonly copyButton: HTMLButtonElement;
  private fieldErrors = new Map<string, HTMLElement>();
  private fieldInputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private fieldsFlavor: PreviewFlavor | null = null;
  private form: ScheduleForm | null = null;
  /** The spec the preview shows ('' until drawn, and after a theme change): redrawn only when it changes. */
  private drawn = '';

  constructor(
    private readonly ctx: ViewContext,
    private readonly defaults: () => ScheduleDefaults,
    private readonly maxLrSource: () => MaxLrSource,
  ) {
    const ui = ctx.ui;
    this.flavorSelect = select('flavor', 'Schedule flavor', PREVIEW_FLAVORS, this.flavor(), (v) => {
      ui.flavor = v as PreviewFlavor;
      this.changed();
    });
    this.frameworkSelect = select('framework', 'Framework', WEBVIEW_FRAMEWORKS, this.framework(), (v) => {
      ui.framework = v as Framework;
      this.changed();
    });
    const onText = (apply: (v: string) => void) => (e: Event) => {
      apply((e.target as HTMLInputElement).value);
      this.changed();
    };
    this.maxLrInput = h('input', { id: 'max-lr', attrs: { type: 'text', inputmode: 'decimal', 'aria-label': 'Max LR', spellcheck: 'false' }, on: { input: onText((v) => (ui.maxLr = v)) } });
    this.maxLrNote = h('span', { class: 'note', id: 'max-lr-note' });
    this.maxLrError = h('span', { class: 'error', id: 'max-lr-error', role: 'alert' });
    this.epochsInput = h('input', { id: 'epochs', attrs: { type: 'text', inputmode: 'numeric', 'aria-label': 'Epochs' }, on: { input: onText((v) => (ui.epochs = v)) } });
    this.stepsInput = h('input', { id: 'steps-per-epoch', attrs: { type: 'text', inputmode: 'numeric', 'aria-label': 'Steps per epoch' }, on: { input: onText((v) => (ui.stepsPerEpoch = v)) } });
    this.lengthError = h('span', { class: 'error', id: 'length-error', role: 'alert' });
    this.totalNote = h('span', { class: 'note', id: 'total-steps' });
    this.fieldsBox = h('div', { class: 'fields', id: 'schedule-fields' });
    this.specError = h('p', { class: 'error', id: 'spec-error', role: 'alert' });
    this.insertButton = h('button', { id: 'insert', text: 'Insert', title: 'Insert this schedule into your code', on: { click: () => this.send('insert') } });
    this.copyButton = h('button', { id: 'copy', class: 'secondary', text: 'Copy', title: 'Copy the code for this schedule', on: { click: () => this.send('copy') } });
    const useRecommended = h('button', {
      class: 'link',
      id: 'max-lr-reset',
      text: 'reset',
      title: 'Follow the picked or recommended LR again',
      on: {
        click: () => {
          ui.maxLr = null;
          this.changed();
        },
      },
    });
    const canvas = h('canvas', { id: 'schedule-chart', attrs: { role: 'img', 'aria-label': 'Schedule preview: LR and momentum per step' } });
    this.chart = new SeriesChart(canvas, { x: { title: 'step', type: 'linear', integer: true }, y: { title: 'LR', type: 'linear' }, y2: { title: 'momentum', type: 'linear' }, xFormat: (v) => String(Math.round(v)) }, ctx.palette());

    this.root = h(
      'section',
      { class: 'schedule', attrs: { 'aria-label': 'Schedule' } },
      h('h2', { text: 'Schedule' }),
      h(
        'div',
        { class: 'row' },
        h('label', { attrs: { for: 'flavor' }, text: 'Flavor' }),
        this.flavorSelect,
        h('label', { attrs: { for: 'framework' }, text: 'Framework' }),
        this.frameworkSelect,
      ),
      h(
        'div',
        { class: 'row' },
        h('label', { attrs: { for: 'max-lr' }, text: 'Max LR' }),
        this.maxLrInput,
        this.maxLrNote,
        useRecommended,
        this.maxLrError,
      ),
      h(
        'div',
        { class: 'row' },
        h('label', { attrs: { for: 'epochs' }, text: 'Epochs' }),
        this.epochsInput,
        h('span', { text: '×' }),
        h('label', { attrs: { for: 'steps-per-epoch' }, text: 'steps/epoch' }),
        this.stepsInput,
        this.totalNote,
        this.lengthError,
      ),
      this.fieldsBox,
      this.specError,
      h('div', { class: 'chart-box chart-box--small' }, canvas),
      h('div', { class: 'row actions' }, this.insertButton, this.copyButton),
    );
  }

  /** The validated spec shown, or null. */
  get spec(): ScheduleSpec | null {
    return this.form?.spec ?? null;
  }

  /** The schedule as CSV (`step,lr,momentum`), every step up to 1e6; empty header when invalid. */
  csv(): string {
    const spec = this.spec;
    if (!spec) return 'step,lr,momentum\n';
    const schedule = compileSchedule(spec);
    const n = Math.min(specLength(spec) ?? 1000, 1_000_000);
    const lines = ['step,lr,momentum'];
    for (let i = 0; i < n; i++) lines.push(`${i},${schedule.lr(i)},${schedule.momentum ? schedule.momentum(i) : ''}`);
    return lines.join('\n') + '\n';
  }

  get previewChart(): SeriesChart {
    return this.chart;
  }

  flavor(): PreviewFlavor {
    return this.ctx.ui.flavor ?? this.defaults().flavor;
  }

  framework(): Framework {
    return this.ctx.ui.framework ?? this.defaults().framework;
  }

  setPalette(palette: Palette): void {
    this.chart.setPalette(palette);
    this.drawn = '';
  }

  /** Re-reads everything (max LR source, defaults) and redraws. */
  update(): void {
    const ui = this.ctx.ui;
    const d = this.defaults();
    const source = this.maxLrSource();
    const flavor = this.flavor();
    this.flavorSelect.value = flavor;
    this.frameworkSelect.value = this.framework();
    // The suggestion is offered rounded to two significant digits, and the schedule uses that very number.
    const offered = source.lr !== null ? roundLr(source.lr) : null;
    const maxLrText = ui.maxLr ?? (offered !== null ? formatNumber(offered) : '');
    const epochsText = ui.epochs ?? String(d.epochs);
    const stepsText = ui.stepsPerEpoch ?? String(d.stepsPerEpoch);
    syncInput(this.maxLrInput, maxLrText);
    syncInput(this.epochsInput, epochsText);
    syncInput(this.stepsInput, stepsText);
    setText(this.maxLrNote, ui.maxLr !== null ? 'typed' : source.from);

    const form = buildScheduleForm({ flavor, maxLr: maxLrText, epochs: epochsText, stepsPerEpoch: stepsText, params: ui.params[flavor] ?? {} });
    this.form = form;
    if (this.fieldsFlavor !== flavor) this.buildFields(flavor, form.fields);
    for (const f of form.fields) {
      setText(this.fieldErrors.get(f.key)!, f.error ?? '');
      const input = this.fieldInputs.get(f.key);
      if (input && !f.edited) syncInput(input, f.value);
    }
    // No LR chosen yet (none recommended, none typed): the note says so; that is not an error of the user's.
    const nothingChosen = ui.maxLr === null && source.lr === null;
    setText(this.maxLrError, nothingChosen ? '' : (form.errors.maxLr ?? ''));
    setText(this.lengthError, form.errors.epochs ?? form.errors.stepsPerEpoch ?? '');
    setText(this.specError, form.errors.spec ?? '');
    show(this.specError, Boolean(form.errors.spec));
    const e = Number(epochsText);
    const s = Number(stepsText);
    setText(this.totalNote, Number.isInteger(e * s) && e * s > 0 ? `= ${e * s} steps` : '');
    this.insertButton.disabled = form.spec === null;
    this.copyButton.disabled = form.spec === null;
    this.root.dataset.valid = String(form.spec !== null);

    const shown = JSON.stringify(form.spec);
    if (shown === this.drawn) return;
    this.drawn = shown;
    const series: Series[] = [];
    if (form.spec) {
      const p = previewSeries(form.spec);
      series.push({ label: 'LR', data: p.lr, color: 0, width: 2 });
      if (p.momentum) series.push({ label: 'momentum', data: p.momentum, color: 1, width: 1.5, dashed: true, axis: 'y2' });
    }
    this.chart.render(series);
  }

  dispose(): void {
    this.chart.destroy();
  }

  private buildFields(flavor: PreviewFlavor, fields: readonly FormField[]): void {
    this.fieldsFlavor = flavor;
    this.fieldErrors.clear();
    this.fieldInputs.clear();
    const ui = this.ctx.ui;
    const rows = fields.map((f) => {
      const id = `field-${f.key}`;
      const setParam = (value: string) => {
        const params = (ui.params[flavor] ??= {});
        params[f.key] = value;
        this.changed();
      };
      let input: HTMLInputElement | HTMLSelectElement;
      if (f.kind === 'choice' || f.kind === 'boolean') {
        input = select(id, f.label, f.kind === 'boolean' ? ['false', 'true'] : (f.choices ?? []), f.value, setParam);
      } else {
        const el = h('input', {
          id,
          attrs: { type: 'text', inputmode: 'decimal', 'aria-label': f.label, spellcheck: 'false' },
          on: { input: () => setParam(el.value) },
        });
        el.value = f.value;
        input = el;
      }
      this.fieldInputs.set(f.key, input);
      const error = h('span', { class: 'error', id: `${id}-error`, role: 'alert' });
      this.fieldErrors.set(f.key, error);
      return h('div', { class: 'field', title: f.help }, h('label', { attrs: { for: id }, text: f.label }), input, error);
    });
    setChildren(this.fieldsBox, ...rows);
  }

  private changed(): void {
    this.ctx.saveUi();
    this.update();
  }

  private send(type: 'insert' | 'copy'): void {
    const spec = this.form?.spec;
    if (!spec) return;
    void this.ctx.request({ type, spec, framework: this.framework() });
  }
}

/** Sets an input's value unless the user is typing in it. */
function syncInput(input: HTMLInputElement | HTMLSelectElement, value: string): void {
  if (document.activeElement !== input && input.value !== value) input.value = value;
}
