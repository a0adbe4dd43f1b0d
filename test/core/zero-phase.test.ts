/** The lag-free (forward-backward EMA) smoothing the analysis reads beside the causal EMA. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smoothLosses, zeroPhaseBeta, zeroPhaseSmooth } from '../../src/core/analysis/index';

test('a symmetric dip keeps its lowest point where it is; the causal EMA moves it later', () => {
  const losses = Array.from({ length: 101 }, (_, i) => 1 + ((i - 50) / 50) ** 2);
  const argmin = (values: number[]): number => values.reduce((best, v, i) => (v < values[best]! ? i : best), 0);
  assert.equal(argmin(zeroPhaseSmooth(losses)), 50);
  assert.ok(argmin(smoothLosses(losses)) > 60, `EMA minimum at ${argmin(smoothLosses(losses))}`);
});

test('constants stay constant; the factor follows the length (a time constant of 4 % of it, at least 1 step)', () => {
  for (const v of zeroPhaseSmooth(Array(30).fill(2.5))) assert.ok(Math.abs(v - 2.5) < 1e-12);
  assert.ok(Math.abs(zeroPhaseBeta(100) - 0.75) < 1e-12);
  assert.ok(Math.abs(zeroPhaseBeta(500) - 0.95) < 1e-12);
  assert.equal(zeroPhaseBeta(10), 0);
  assert.deepEqual(zeroPhaseSmooth([3, 1, 2], 0), [3, 1, 2]);
});

test('only the leading finite run is smoothed: NaN from the first non-finite loss on', () => {
  const out = zeroPhaseSmooth([1, 2, 3, Infinity, 1], 0.5);
  assert.ok(out.slice(0, 3).every(Number.isFinite));
  assert.ok(out.slice(3).every(Number.isNaN));
  assert.equal(out.length, 5);
  // the backward pass makes the last finite point's value its forward value (nothing after it)
  const forward = smoothLosses([1, 2, 3], 0.5);
  assert.equal(out[2], forward[2]);
});
