import type { Org } from '../core/org/schema.ts';

/**
 * Guessing a complaint's category from its words when the complainant chose "不确定" (issue 5 item 2).
 * A guess is only ever a suggestion: intake marks it as one (label, comment, the `received` event's
 * note) and a handler confirms or corrects it, keeping the guess in `reported_category`.
 *
 * How: every category has keywords — the built-in list for the presets' category keys below, plus
 * its own label and the words of its description in org.yaml, so an organisation's own categories
 * take part. The score of a category is the number of its distinct keywords found in the title and
 * text; the highest score wins, ties go to the category listed first in org.yaml. No keyword at all:
 * no guess, and intake falls back to `fallbackCategory`.
 */

/** Words residents and students use for each preset category (001 §4.2.1, 000 篇4, 004). */
export const CATEGORY_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  // property (001 §4.2.1)
  housing: ['房屋', '漏水', '渗水', '渗漏', '墙面', '墙皮', '裂缝', '屋顶', '天花板', '门窗', '窗户', '防水', '地板', '瓷砖', '外墙', '楼顶', '空鼓', '发霉'],
  equipment: ['电梯', '停电', '停水', '水压', '水泵', '路灯', '照明', '灯不亮', '门禁', '监控', '空调', '供暖', '暖气', '充电桩', '水管', '电路', '跳闸', '消防栓', '设备'],
  security: ['保安', '门岗', '盗窃', '被盗', '小偷', '巡逻', '陌生人', '安全隐患', '消防通道', '乱停', '外来车辆', '车辆管理'],
  environment: ['垃圾', '保洁', '清扫', '卫生', '绿化', '草坪', '树木', '蚊虫', '老鼠', '蟑螂', '异味', '臭味', '污水', '化粪池', '落叶', '消杀'],
  general_service: ['服务态度', '物业费', '收费', '客服', '前台', '管家', '推诿', '电话打不通', '不理睬'],
  neighbour_dispute: ['邻居', '楼上', '楼下', '噪音', '扰民', '装修', '宠物', '养狗', '狗叫', '占用', '私搭', '违建'],
  developer: ['开发商', '交房', '产权', '房产证', '不动产', '延期交付', '精装修', '售楼', '购房合同'],
  // campus (000 篇4: by service centre)
  catering: ['食堂', '饭菜', '餐厅', '打饭', '窗口', '异物', '菜价', '饭卡'],
  dormitory: ['宿舍', '公寓', '寝室', '热水', '洗澡', '洗衣机', '宿管', '床铺'],
  transport: ['校车', '班车', '司机', '车辆', '交通'],
  property: ['物业', '报修', '维修', '保洁'],
  campus: ['校园', '道路', '路灯', '绿化', '垃圾'],
  classroom: ['教室', '投影', '黑板', '桌椅', '自习', '多媒体'],
  engineering: ['工程', '施工', '节能', '水电', '管网', '改造'],
  office: ['报销', '结算', '办公室'],
  international: ['留学生', '外籍', '国际交流'],
  kindergarten: ['幼儿园', '孩子', '入园'],
  // public service (004)
  attitude: ['态度', '冷漠', '不耐烦', '推诿', '脸色', '辱骂', '不理睬'],
  business: ['办理', '材料', '排队', '审批', '手续', '预约', '跑腿'],
  policy: ['政策', '规定', '咨询', '补贴', '标准'],
  facilities: ['设施', '座位', '厕所', '卫生间', '停车', '空调', '电梯'],
};

/** 003 §(二)2(1): words that point to an urgent matter (fire hazard, facility failure, people trapped). */
export const URGENT_KEYWORDS: readonly string[] = ['火灾', '着火', '起火', '冒烟', '燃气', '煤气', '漏气', '漏电', '触电', '困人', '被困', '爆管', '水管爆裂', '水淹', '倒塌', '坠落'];

export interface CategoryGuess {
  /** The category key guessed. */
  key: string;
  /** The keywords found, in the order of the category's keyword list. */
  keywords: string[];
}

/** A category's keywords: the built-in list, its label, and the words of its description. */
export function keywordsOf(category: Org['categories'][number]): string[] {
  const own = [category.label, ...(category.description ?? '').split(/[\s,，、;；。.]+/)].filter((word) => [...word].length >= 2);
  return [...new Set([...(CATEGORY_KEYWORDS[category.key] ?? []), ...own])];
}

/** The best-scoring category for `text`, or undefined when no keyword of any category occurs. */
export function guessCategory(text: string, org: Pick<Org, 'categories'>): CategoryGuess | undefined {
  let best: CategoryGuess | undefined;
  for (const category of org.categories) {
    const keywords = keywordsOf(category).filter((keyword) => text.includes(keyword));
    if (keywords.length > (best?.keywords.length ?? 0)) best = { key: category.key, keywords };
  }
  return best;
}

/** Where a complaint goes when nothing points anywhere: the `other` category, or else the last one listed. */
export function fallbackCategory(org: Pick<Org, 'categories'>): string {
  return (org.categories.find((category) => category.key === 'other') ?? org.categories.at(-1)!).key;
}

/** The urgent keywords found in `text`: any one makes an unsure complaint urgent. */
export function urgentKeywords(text: string): string[] {
  return URGENT_KEYWORDS.filter((keyword) => text.includes(keyword));
}
