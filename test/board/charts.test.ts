import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { barChart, countTrendChart, monthTick, rateTrendChart } from '../../src/board/charts.ts';

const svgOf = (markup: string) => parseHTML(`<!doctype html><html><body>${markup}</body></html>`).document.querySelector('svg')!;

describe('the board’s charts', () => {
  it('are static SVG images named by their figures, with no ARIA inside them', () => {
    const chart = barChart([{ label: '房屋管理', count: 6 }, { label: '设备管理', count: 11 }], '2026年10月各类投诉数');
    const svg = svgOf(chart.svg);
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('2026年10月各类投诉数：房屋管理 6 件，设备管理 11 件');
    expect(svg.querySelectorAll('[aria-label], [aria-hidden], [aria-description]').length).toBe(0);
    expect(chart.svg).not.toMatch(/\d\.\d{2,}/);
  });

  it('escape what they are given', () => {
    const chart = barChart([{ label: '<b>"项目"</b>', count: 1 }], '标题');
    expect(chart.svg).not.toContain('<b>');
    expect(svgOf(chart.svg).getAttribute('aria-label')).toBe('标题：<b>"项目"</b> 1 件');
  });

  it('give a month range that spans a year end one column per month, however the ticks are shortened', () => {
    const months = ['2025-11', '2025-12', '2026-01', '2026-11'];
    const counts = svgOf(countTrendChart(months.map((label, index) => ({ label, periodCount: index + 1 })), '各月投诉数').svg);
    const columns = [...counts.querySelectorAll('rect')].map((rect) => rect.getAttribute('x'));
    expect(new Set(columns).size).toBe(4);
    const rates = rateTrendChart(months.map((label) => ({ label, rate: label === '2025-12' ? null : 0.5 })), '各月投诉处理率');
    expect(svgOf(rates.svg).getAttribute('aria-label')).toContain('2025-12 无投诉');
    expect([monthTick('2025-11'), monthTick('2026-01')]).toEqual(['11月', '2026年1月']);
  });
});
