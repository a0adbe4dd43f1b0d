import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogFollower, LogParseError, parseJsonLenient, parseLrLog } from '../../src/core/logs/index';

const FIXTURES = join(__dirname, 'fixtures', 'analysis');

function throwsLog(fn: () => unknown, message: string | RegExp, row?: number | null): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof LogParseError, `expected a LogParseError, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    if (row !== undefined) assert.equal(e.row, row);
    return true;
  });
}

describe('CSV', () => {
  test('reads lr and loss by name, whatever the other columns and their order', () => {
    const log = parseLrLog('step,loss,lr\n0,2.30,1e-5\n1,2.28,2e-5\n', 'run.csv');
    assert.equal(log.format, 'csv');
    assert.deepEqual(log.columns, { lr: 'lr', loss: 'loss' });
    assert.deepEqual(log.points, [
      { lr: 1e-5, loss: 2.3 },
      { lr: 2e-5, loss: 2.28 },
    ]);
    assert.equal(log.smoothedLoss, false);
  });

  test('semicolons with decimal commas, tabs, CRLF, a BOM, quotes and blank lines', () => {
    assert.deepEqual(parseLrLog('lr;loss\r\n0,001;2,5\r\n1e-2;1,75\r\n', 'de.csv').points, [
      { lr: 0.001, loss: 2.5 },
      { lr: 0.01, loss: 1.75 },
    ]);
    assert.deepEqual(parseLrLog('\uFEFFlearning_rate\tloss\n0.1\t3\n', 'keras.tsv').points, [{ lr: 0.1, loss: 3 }]);
    const quoted = parseLrLog('"note","Learning Rate","loss"\n"a, b",0.5,"1.5"\n\n"say ""hi""",0.6,1.4\n', 'q.csv');
    assert.deepEqual(quoted.columns, { lr: 'Learning Rate', loss: 'loss' });
    assert.deepEqual(quoted.points, [
      { lr: 0.5, loss: 1.5 },
      { lr: 0.6, loss: 1.4 },
    ]);
  });

  test('non-finite losses are kept (the analysis cuts there); the raw loss is preferred to a smoothed one', () => {
    const log = parseLrLog('lr,smooth_loss,loss\n0.1,2,2.1\n1,nan,NaN\n10,inf,-Infinity\n', 'x.csv');
    assert.equal(log.columns.loss, 'loss');
    assert.equal(log.smoothedLoss, false);
    assert.ok(Number.isNaN(log.points[1].loss));
    assert.equal(log.points[2].loss, -Infinity);
    const fastai = parseLrLog('lrs,losses\n0.1,2\n', 'recorder.csv');
    assert.deepEqual(fastai.columns, { lr: 'lrs', loss: 'losses' });
    assert.equal(fastai.smoothedLoss, true);
  });

  test('a bad field names the file, the row (file line) and what was expected', () => {
    const text = 'lr,loss\n1e-5,2.3\n2e-5,2.2\n\n3e-5,2.1\n4e-5,2.0\n5e-5,abc\n';
    throwsLog(() => parseLrLog(text, 'log.csv'), `log.csv: row 7: column "loss" is not a number ('abc')`, 7);
    throwsLog(() => parseLrLog('lr,loss\n0.1,\n', 'log.csv'), 'log.csv: row 2: column "loss" is empty', 2);
    throwsLog(() => parseLrLog('lr,step,loss\n0.1,3\n', 'log.csv'), /row 2: has 2 fields but the header has 3: column "loss" is missing/);
    throwsLog(() => parseLrLog('lr,loss\n0,2\n', 'log.csv'), `log.csv: row 2: column "lr" must be a positive finite number (got '0')`);
    // A quoted field spanning lines: the next row's number is still its file line.
    throwsLog(() => parseLrLog('note,lr,loss\n"two\nlines",0.1,1\nx,0.2,?\n', 'log.csv'), /row 4: column "loss" is not a number/, 4);
  });

  test('missing columns: which were found, which names are accepted', () => {
    throwsLog(
      () => parseLrLog('step,value\n1,2\n', 'tb.csv'),
      'tb.csv: row 1: no learning-rate or loss column found (columns found: "step", "value"); ' +
        'accepted names for the learning rate: lr, learning_rate, learningrate, lrs; ' +
        'for the loss: loss, train_loss, smooth_loss, smoothed_loss, losses (any case)',
    );
    throwsLog(() => parseLrLog('lr,acc\n1,2\n', 'a.csv'), /no loss column found \(columns found: "lr", "acc"\)/);
    throwsLog(() => parseLrLog('0.1,2.3\n0.2,2.2\n', 'nohead.csv'), /row 1: expected a header row naming the columns \(e\.g\. lr,loss\), found only numbers/);
    throwsLog(() => parseLrLog('', 'empty.csv'), /empty.csv: the file is empty/);
    throwsLog(() => parseLrLog('lr,loss\n', 'h.csv'), 'h.csv: no data rows after the header');
  });
});

describe('JSON Lines', () => {
  test('one object per line; other records skipped; Python NaN and JS null losses read as NaN', () => {
    const text = [
      '{"event": "config", "epochs": 3}',
      '{"step": 0, "lr": 1e-5, "loss": 2.3}',
      '',
      '{"step": 1, "lr": 2e-5, "loss": NaN}',
      '{"step": 2, "lr": "3e-5", "loss": null}',
      '{"event": "done"}',
    ].join('\n');
    const log = parseLrLog(text, 'run.jsonl');
    assert.equal(log.format, 'jsonl');
    assert.deepEqual(log.columns, { lr: 'lr', loss: 'loss' });
    assert.equal(log.points.length, 3);
    assert.equal(log.points[2].lr, 3e-5);
    assert.ok(Number.isNaN(log.points[1].loss) && Number.isNaN(log.points[2].loss));
  });

  test('errors name the row: invalid JSON, non-objects, half records, bad values', () => {
    throwsLog(() => parseLrLog('{"lr": 0.1, "loss": 1}\n{"lr": 0.2, "loss": }\n', 'r.jsonl'), /^r\.jsonl: row 2: not valid JSON/, 2);
    throwsLog(() => parseLrLog('{"lr": 0.1, "loss": 1}\n[1, 2]\n', 'r.jsonl'), /row 2: expected a JSON object like \{"lr": 0.001, "loss": 2.3\}, found '\[1,2\]'/);
    throwsLog(() => parseLrLog('{"lr": 0.1, "loss": 1}\n{"lr": 0.2}\n', 'r.jsonl'), 'r.jsonl: row 2: has "lr" but no "loss"');
    throwsLog(() => parseLrLog('{"lr": 0.1, "loss": true}\n', 'r.jsonl'), `r.jsonl: row 1: "loss" is not a number ('true')`);
    throwsLog(() => parseLrLog('{"lr": null, "loss": 1}\n', 'r.jsonl'), 'r.jsonl: row 1: "lr" is null');
    throwsLog(() => parseLrLog('{"step": 1, "value": 2}\n', 'r.jsonl'), /no learning-rate or loss key found \(keys found: "step", "value"\)/);
  });
});

describe('JSON documents', () => {
  test("pytorch-lr-finder's history dumped by Python's json (bare NaN)", () => {
    const text = readFileSync(join(FIXTURES, 'pytorch-lr-finder-history.json'), 'utf8');
    const log = parseLrLog(text, 'history.json');
    assert.equal(log.format, 'json');
    assert.deepEqual(log.columns, { lr: 'lr', loss: 'loss' });
    assert.equal(log.points.length, 30);
    assert.equal(log.points[0].lr, 1e-5);
    assert.ok(Number.isNaN(log.points[29].loss));
  });

  test('fastai recorder names, arrays of objects, and JSON Lines in a .json file', () => {
    const fastai = parseLrLog('{"lrs": [1e-3, 1e-2], "losses": [2.0, 1.5], "iters": [0]}', 'recorder.json');
    assert.deepEqual(fastai.columns, { lr: 'lrs', loss: 'losses' });
    assert.equal(fastai.smoothedLoss, true);
    const items = parseLrLog('[{"lr": 0.1, "loss": 1}, {"lr": 0.2, "loss": 2}]', 'items.json');
    assert.equal(items.format, 'json');
    assert.equal(items.points.length, 2);
    const lines = parseLrLog('{"lr": 0.1, "loss": 1}\n{"lr": 0.2, "loss": 2}\n', 'lines.json');
    assert.equal(lines.format, 'jsonl');
    assert.equal(lines.points.length, 2);
    // No extension: the content decides.
    assert.equal(parseLrLog('lr,loss\n0.1,1\n', 'stdin').format, 'csv');
    assert.equal(parseLrLog('{"lr": [0.1], "loss": [1]}', 'stdin').format, 'json');
  });

  test('errors say which array and which element', () => {
    throwsLog(() => parseLrLog('{"lr": [0.1, 0.2], "loss": [1]}', 'h.json'), 'h.json: "lr" has 2 values but "loss" has 1; they must pair up one to one', null);
    throwsLog(() => parseLrLog('{"lr": [0.1, 0.2, 0.3], "loss": [1, 2, "x"]}', 'h.json'), `h.json: "loss"[2] is not a number ('x')`);
    throwsLog(() => parseLrLog('[{"lr": 0.1, "loss": 1}, {"lr": -1, "loss": 2}]', 'h.json'), `h.json: item 2: "lr" must be a positive finite number (got '-1')`);
    throwsLog(() => parseLrLog('{"lr": [0.1], "acc": [1]}', 'h.json'), /no loss key found \(keys found: "lr", "acc"\)/);
  });

  test("parseJsonLenient reads Python's non-JSON numbers but leaves strings alone", () => {
    assert.deepEqual(parseJsonLenient('{"a": "NaN and -Infinity", "b": [Infinity, -Infinity, 1]}'), {
      a: 'NaN and -Infinity',
      b: [Infinity, -Infinity, 1],
    });
    assert.ok(Number.isNaN((parseJsonLenient('[NaN]') as number[])[0]));
    assert.deepEqual(parseJsonLenient('{"q": "say \\"NaN\\""}'), { q: 'say "NaN"' });
  });
});

describe('createLogFollower', () => {
  const csv = 'step,lr,loss\r\n0,1e-5,2.30\r\n1,2e-5,"2.25"\r\n2,3e-5,2.20\r\n3,4e-5,nan\r\n';
  const jsonl = '{"lr": 1e-5, "loss": 2.3}\n{"lr": 2e-5, "loss": NaN}\n{"lr": 3e-5, "loss": 2.2}\n';

  test('any split into chunks gives the same points as parsing the whole file', () => {
    for (const [text, name] of [
      [csv, 'live.csv'],
      [jsonl, 'live.jsonl'],
      [jsonl, 'live.log'],
    ] as const) {
      const whole = parseLrLog(text, name).points;
      for (let a = 0; a <= text.length; a++) {
        for (let b = a; b <= text.length; b += 7) {
          const follower = createLogFollower(name);
          const got = [...follower.push(text.slice(0, a)), ...follower.push(text.slice(a, b)), ...follower.push(text.slice(b)), ...follower.end()];
          assert.deepEqual(got, whole, `${name} split at ${a}, ${b}`);
        }
      }
    }
  });

  test('a partial last line waits for its line break', () => {
    const follower = createLogFollower('live.csv');
    assert.deepEqual(follower.push('lr,loss\n0.1,2'), []);
    assert.equal(follower.format, 'csv');
    assert.deepEqual(follower.columns, { lr: 'lr', loss: 'loss' });
    assert.deepEqual(follower.push('.5\n0.2,'), [{ lr: 0.1, loss: 2.5 }]);
    assert.deepEqual(follower.push('2.4\n'), [{ lr: 0.2, loss: 2.4 }]);
    assert.deepEqual(follower.push('0.3,2.3'), []);
    assert.deepEqual(follower.end(), [{ lr: 0.3, loss: 2.3 }]);
    assert.equal(follower.count, 3);
  });

  test('a bad row in a later chunk is reported with its file line', () => {
    const follower = createLogFollower('live.jsonl');
    follower.push('{"lr": 0.1, "loss": 1}\n\n');
    throwsLog(() => follower.push('{"lr": 0.2, "loss": "x"}\n'), `live.jsonl: row 3: "loss" is not a number ('x')`, 3);
  });

  test('a whole JSON document is read at end()', () => {
    const follower = createLogFollower('history.json');
    assert.deepEqual(follower.push('{\n  "lr": [0.1, 0.2],\n'), []);
    assert.deepEqual(follower.push('  "loss": [1, 2]\n}\n'), []);
    assert.equal(follower.format, null);
    assert.deepEqual(follower.end(), [
      { lr: 0.1, loss: 1 },
      { lr: 0.2, loss: 2 },
    ]);
    assert.equal(follower.format, 'json');
    assert.deepEqual(createLogFollower('empty.csv').end(), []);
  });
});
