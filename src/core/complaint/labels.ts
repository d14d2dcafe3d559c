/** zh-CN labels of complaint fields, shown next to English messages so staff know which box is wrong. */
export const FIELD_LABELS: Record<string, string> = {
  id: '投诉编号',
  title: '标题',
  channel: '投诉渠道',
  received_at: '受理时间',
  received_by: '受理人',
  source: '来源',
  issue: '议题编号',
  url: '链接',
  office: '转办单位',
  deadline: '转办期限',
  reference: '来源编号',
  project: '管理项目',
  location: '位置',
  complainants: '投诉人数',
  anonymous: '匿名',
  contact: '联系方式（加密）',
  category: '投诉分类',
  reported_category: '登记时分类',
  nature: '投诉性质',
  nature_detail: '性质说明',
  urgency: '紧急程度',
  severity: '投诉级别',
  flags: '级别依据',
  override: '主管调整级别',
  public: '是否公示',
  department: '责任部门',
  assignees: '处理人',
  related: '相关投诉',
  duplicate_of: '重复投诉（原投诉编号）',
  repeat_of: '二次投诉（原投诉编号）',
  events: '处理记录',
  at: '时间',
  type: '类型',
  by: '经办人',
  note: '内部备注',
  public_note: '公开说明',
  reason: '原因',
  clock: '时限',
  due: '新的期限',
  told_complainant: '已告知投诉人',
  reply: '答复',
  method: '方式',
  summary: '答复内容',
  visit: '回访',
  satisfied: '是否满意',
  score: '评分',
  comment: '意见',
  no_visit: '免回访原因',
  closure: '关闭',
  basis: '关闭依据',
  corrective_action: '纠正措施',
  lessons: '经验教训',
  frontmatter: '文件头',
  file: '文件',
};

/** The zh-CN label of the most specific named field on a path such as `events.2.at` (`时间`). */
export function labelOf(path: readonly (string | number)[]): string | undefined {
  for (let index = path.length - 1; index >= 0; index -= 1) {
    const segment = path[index];
    if (typeof segment === 'string' && Object.hasOwn(FIELD_LABELS, segment)) return FIELD_LABELS[segment];
  }
  return undefined;
}

/** zh-CN labels of content/org.yaml's fields, for problems in that file. */
export const ORG_FIELD_LABELS: Record<string, string> = {
  name: '名称',
  demo: '演示数据',
  preset: '预设',
  timezone: '时区',
  workday: '工作时间',
  start: '上班时间',
  end: '下班时间',
  statistics: '统计设置',
  yearStart: '统计年度起始日',
  projects: '管理项目',
  key: '代码',
  type: '类型',
  households: '入住户数',
  area: '管理面积',
  departments: '部门',
  handlers: '处理人',
  categories: '投诉分类',
  supervisors: '主管',
  leadership: '领导',
  recipients: '加密接收人',
  calendar: '日历',
  overrides: '调整日期',
  reminders: '提醒设置',
  dueSoonShare: '即将到期比例',
  longOverdueShare: '严重超期比例',
  board: '公示栏',
  title: '标题',
  url: '网址',
  label: '名称',
  public: '是否公示',
  description: '说明',
  clocks: '时限',
  clock: '时限名称',
  channels: '投诉渠道',
  urgency: '紧急程度',
  forwarded: '上级转办',
  limit: '期限',
  severity: '投诉级别规则',
  major: '重大投诉',
  hot: '热点投诉',
  important: '重要投诉',
  complainants: '投诉人数',
  openDays: '未解决天数',
  sameComplaintComplainants: '同一投诉人数',
  sameComplaintWithinDays: '同一投诉统计天数',
  unresolvedWorkingDays: '未解决工作日数',
};

/** Fields whose items are numbered for people as 第 n 条 (records) rather than 第 n 项 (values). */
const RECORD_LISTS = new Set(['events']);

/**
 * The zh-CN label of a whole path, so a handler can find the box: `events.2.at` → `处理记录第3条·时间`,
 * `reply.summary` → `答复·答复内容`. Unknown names are left out; indexes count from 1.
 */
export function pathLabel(path: readonly (string | number)[], labels: Record<string, string> = FIELD_LABELS): string | undefined {
  const parts: string[] = [];
  path.forEach((segment, index) => {
    if (typeof segment === 'number') {
      const list = path[index - 1];
      const suffix = typeof list === 'string' && RECORD_LISTS.has(list) ? '条' : '项';
      if (parts.length > 0) parts[parts.length - 1] += `第${segment + 1}${suffix}`;
      return;
    }
    const label = Object.hasOwn(labels, segment) ? labels[segment] : undefined;
    if (label) parts.push(label);
  });
  return parts.length > 0 ? parts.join('·') : undefined;
}
