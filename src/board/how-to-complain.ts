import { CLOCK_LABELS, CLOCK_NAMES, type Org } from '../core/org/schema.ts';
import { CHANNEL_LABELS, URGENCY_LABELS, type Channel, type PresetName } from '../core/org/vocabulary.ts';
import { STATE_LABELS, type State } from '../core/complaint/states.ts';
import { limitText } from './format.ts';

/**
 * The "how to complain" page's content from org.yaml (SPEC §7; 001 §4.4.1: the channels are made
 * known): the channels a resident can use, every time limit with what it applies to, and what
 * happens to a complaint, state by state.
 */

/** The channels a resident chooses (forwarded, media and other arrive without the resident choosing them). */
export const RESIDENT_CHANNELS: Record<PresetName, readonly Channel[]> = {
  property: ['online', 'phone', 'visit', 'letter', 'email', 'suggestion_box'],
  campus: ['online', 'phone', 'visit', 'letter', 'email', 'suggestion_box', 'principal_mailbox'],
  'public-service': ['online', 'phone', 'visit', 'letter', 'email', 'suggestion_box'],
};

export interface ChannelView {
  key: Channel;
  label: string;
  /** The reply limit that applies to this channel, when org.yaml sets one by channel. */
  reply?: string;
}

export interface TimeLimitView {
  clock: string;
  appliesTo: string;
  limit: string;
}

/** The channels of the organisation's preset, each with its reply limit. */
export function channelViews(org: Pick<Org, 'preset' | 'clocks'>): ChannelView[] {
  return RESIDENT_CHANNELS[org.preset].map((channel) => {
    const rule = org.clocks.find((candidate) => candidate.clock === 'reply' && (candidate.channels === undefined || candidate.channels.includes(channel)));
    return { key: channel, label: CHANNEL_LABELS[channel], ...(rule ? { reply: limitText(rule.limit) } : {}) };
  });
}

/** Every clock rule of org.yaml, in clock order, with what it applies to. */
export function timeLimitViews(org: Pick<Org, 'clocks'>): TimeLimitView[] {
  return CLOCK_NAMES.flatMap((clock) =>
    org.clocks
      .filter((rule) => rule.clock === clock)
      .map((rule) => {
        const parts: string[] = [];
        if (rule.channels) parts.push(rule.channels.map((channel) => CHANNEL_LABELS[channel]).join('、'));
        if (rule.urgency) parts.push(`${rule.urgency.map((urgency) => URGENCY_LABELS[urgency]).join('、')}投诉`);
        if (rule.forwarded) parts.push('上级部门转办、规定了期限的投诉');
        if (clock === 'visit') parts.push('答复后（无需回访的除外）');
        return { clock: CLOCK_LABELS[clock], appliesTo: parts.length > 0 ? parts.join('；') : '所有投诉', limit: limitText(rule.limit) };
      }),
  );
}

/** What each state means to the person who complained. */
export const STATE_EXPLANATIONS: Record<State, string> = {
  received: '投诉已登记，获得投诉编号。',
  accepted: '投诉已受理，告知处理时限。',
  assigned: '已分派给责任部门处理。',
  investigating: '责任部门正在现场核实、制定处理方案。',
  replied: '已将处理结果答复投诉人。',
  verified: '已回访投诉人或验证处理效果。',
  closed: '回访满意，或答复后 7 日内未再投诉，投诉关闭。',
  rejected: '不属于受理范围，已告知投诉人可以向哪里反映。',
  withdrawn: '投诉人撤回了投诉。',
  written_off: '年底仍未解决、经专题分析后核销的投诉。',
};

/** The states in the order a complaint normally passes them, then the other endings. */
export const STATE_ORDER: readonly State[] = ['received', 'accepted', 'assigned', 'investigating', 'replied', 'verified', 'closed', 'rejected', 'withdrawn', 'written_off'];

export function stateSteps(): { state: State; label: string; explanation: string }[] {
  return STATE_ORDER.map((state) => ({ state, label: STATE_LABELS[state], explanation: STATE_EXPLANATIONS[state] }));
}
