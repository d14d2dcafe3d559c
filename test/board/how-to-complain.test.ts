import { describe, expect, it } from 'vitest';
import { channelViews, stateSteps, timeLimitViews } from '../../src/board/how-to-complain.ts';
import { STATES } from '../../src/core/complaint/states.ts';
import { org } from './board-fixtures.ts';

describe('how to complain, from org.yaml', () => {
  it('lists the channels residents use with the reply limit of each (001 §4.6.2, §4.5.4)', () => {
    expect(channelViews(org).map((channel) => [channel.label, channel.reply])).toEqual([
      ['网上投诉', '当日（非工作时间受理的，次一工作日）'],
      ['来电', '当日（非工作时间受理的，次一工作日）'],
      ['来访', '当日（非工作时间受理的，次一工作日）'],
      ['来信', '2 个工作日'],
      ['电子邮件', '2 个工作日'],
      ['意见箱', '2 个工作日'],
    ]);
  });

  it('lists every time limit with what it applies to (003 urgency classes included)', () => {
    const limits = timeLimitViews(org);
    expect(limits).toContainEqual({ clock: '到场核查', appliesTo: '紧急投诉', limit: '2 小时（全天候计时）' });
    expect(limits).toContainEqual({ clock: '首次响应', appliesTo: '非紧急投诉', limit: '3 个工作日' });
    expect(limits).toContainEqual({ clock: '转办期限', appliesTo: '上级部门转办、规定了期限的投诉', limit: '转办单位规定的期限' });
    expect(limits).toHaveLength(org.clocks.length);
  });

  it('explains every state a complaint can be in', () => {
    expect(stateSteps().map((step) => step.state).sort()).toEqual([...STATES].sort());
  });
});
