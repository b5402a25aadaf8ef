/**
 * The one house style for every FairReview report, after GB/T 9704-2012 (党政机关公文格式):
 * A4, body 仿宋_GB2312 3号, titles 方正小标宋简体 2号, headings 黑体 3号, page numbers "— 1 —" in 4号 宋体
 * at the outer edge of the footer. Builders only compose these helpers; none of them sets a font or size itself.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type FileChild,
  type ICommentOptions,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';

// ---------------------------------------------------------------- units and measures

/** Half-points, the unit docx uses for font sizes. Chinese size names (字号) as GB/T 9704 uses them. */
export const SIZE = {
  er: 44, // 二号 22 pt: document titles
  san: 32, // 三号 16 pt: body and headings
  si: 28, // 四号 14 pt: page numbers, form tables
  xiaosi: 24, // 小四 12 pt: dense grids
  wu: 21, // 五号 10.5 pt: summary tables, comments
} as const;

const TWIPS_PER_MM = 1440 / 25.4;
export const mm = (value: number): number => Math.round(value * TWIPS_PER_MM);

export const PAGE = {
  width: mm(210),
  height: mm(297),
  margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) },
  /** The page number's baseline sits about 7 mm under the text block (GB/T 9704 §7.5). */
  footerDistance: mm(23),
  headerDistance: mm(15),
} as const;

/** Width of the text block; tables are laid out in fixed twips against it. */
export const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right;

/** GB/T 9704: 22 lines a page, which at 3号 is a fixed line pitch of about 28.9 pt. */
const BODY_LINE = 578;
/** One 3号 character: first-line indents are two characters. */
const CHAR_3HAO = 320;

// ---------------------------------------------------------------- fonts

/**
 * Font names as government PCs and WPS know them. Word has no per-run fallback list, so the fallbacks are declared in
 * the font table (`fontTableXml`): a machine without 方正小标宋简体 substitutes 宋体, one without 仿宋_GB2312 uses 仿宋.
 */
export const FONT = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading: '黑体',
  kai: '楷体_GB2312',
  song: '宋体',
  latin: 'Times New Roman',
} as const;

type FontRole = keyof typeof FONT;

/** Chinese in the role's face, digits and Latin letters in Times New Roman; the eastAsia hint keeps “”、— full-width. */
export function fontFor(role: FontRole): IRunOptions['font'] {
  return { eastAsia: FONT[role], ascii: FONT.latin, hAnsi: FONT.latin, cs: FONT.latin, hint: 'eastAsia' };
}

interface FontDeclaration {
  name: string;
  altName: string;
  panose: string;
  family: 'roman' | 'modern' | 'swiss' | 'script' | 'auto';
  pitch: 'fixed' | 'variable';
}

const FONT_DECLARATIONS: readonly FontDeclaration[] = [
  { name: FONT.title, altName: '宋体', panose: '02010600030101010101', family: 'auto', pitch: 'variable' },
  { name: FONT.body, altName: '仿宋', panose: '02010609030101010101', family: 'modern', pitch: 'fixed' },
  { name: '仿宋', altName: 'FangSong', panose: '02010609060101010101', family: 'modern', pitch: 'fixed' },
  { name: FONT.heading, altName: 'SimHei', panose: '02010609060101010101', family: 'modern', pitch: 'fixed' },
  { name: FONT.kai, altName: '楷体', panose: '02010609030101010101', family: 'modern', pitch: 'fixed' },
  { name: FONT.song, altName: 'SimSun', panose: '02010600030101010101', family: 'auto', pitch: 'variable' },
];

/** word/fontTable.xml naming each face with its fallback and the GB2312 charset (86) so Word and WPS substitute well. */
function fontTableXml(): string {
  const fonts = FONT_DECLARATIONS.map(
    (f) =>
      `<w:font w:name="${f.name}"><w:altName w:val="${f.altName}"/><w:panose1 w:val="${f.panose}"/>` +
      `<w:charset w:val="86"/><w:family w:val="${f.family}"/><w:pitch w:val="${f.pitch}"/></w:font>`,
  ).join('');
  const latin =
    `<w:font w:name="${FONT.latin}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>` +
    `<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    fonts +
    latin +
    '</w:fonts>'
  );
}

// ---------------------------------------------------------------- text hygiene

// Characters XML 1.0 cannot carry at all (escaping does not help) and unpaired surrogates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text safe to put in a run. Illegal characters become spaces one for one, so offsets computed on the original text
 * still hold; XML escaping itself (& < > " ') is the docx package's job.
 */
export function cleanText(text: string): string {
  return text.replace(XML_ILLEGAL, ' ');
}

export type Optional<T> = T | null | undefined;

/** An optional value as display text: missing values are blank, never "undefined" or "null". */
export function show(value: Optional<string | number>): string {
  if (value === null || value === undefined) return '';
  return cleanText(String(value));
}

export type DateLike = string | Date;

/** The calendar date of an instant in Beijing time (the time zone database's offset, not one of our own). */
const BEIJING_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' });

/**
 * "2025年3月12日", the date form of GB/T 9704 (Arabic numerals, no leading zeros). Instants are read in Beijing time;
 * a plain "YYYY-MM-DD" is taken as written; anything unparseable is shown as given.
 */
export function formatDate(value: Optional<DateLike>): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string') {
    const plain = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value.trim());
    if (plain) return `${Number(plain[1])}年${Number(plain[2])}月${Number(plain[3])}日`;
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return show(String(value));
  const parts = BEIJING_DATE.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return `${part('year')}年${part('month')}月${part('day')}日`;
}

/** A blank to fill in by hand: "    年  月  日" when no date is known. */
export function dateOrBlank(value: Optional<DateLike>): string {
  return formatDate(value) || '        年    月    日';
}

/** The first `length` characters (code points, so a CJK extension character is never cut in half) and "……". */
export function excerpt(text: Optional<string>, length: number): string {
  const chars = Array.from(show(text));
  return chars.length > length ? `${chars.slice(0, length).join('')}……` : chars.join('');
}

export function formatPercent(rate: Optional<number>, digits = 1): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '';
  return `${(rate * 100).toFixed(digits)}%`;
}

export function formatNumber(value: Optional<number>, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return digits === 0 ? String(Math.round(value)) : value.toFixed(digits);
}

// ---------------------------------------------------------------- runs and paragraphs

export interface RunStyle {
  role?: FontRole;
  size?: number;
  bold?: boolean;
  color?: string;
  highlight?: IRunOptions['highlight'];
  underline?: IRunOptions['underline'];
}

/**
 * A run of text. Body-font 3号 runs leave font and size to the document defaults: a long draft has thousands of
 * runs, and repeating the same properties on each costs time and file size for nothing.
 */
export function run(text: string, style: RunStyle = {}): TextRun {
  const role = style.role ?? 'body';
  const size = style.size ?? SIZE.san;
  return new TextRun({
    text: cleanText(text),
    font: role === 'body' ? undefined : fontFor(role),
    size: size === SIZE.san ? undefined : size,
    bold: style.bold,
    color: style.color,
    highlight: style.highlight,
    underline: style.underline,
  });
}

const BODY_SPACING = { line: BODY_LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 } as const;

/** The document title: 小标宋 2号, centred, followed by one blank line as GB/T 9704 lays out a 标题. */
export function title(text: string): Paragraph[] {
  return splitLines(text).map(
    (line) =>
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { line: 720, lineRule: LineRuleType.EXACT },
        children: [run(line, { role: 'title', size: SIZE.er })],
      }),
  ).concat(blankLine());
}

/** A line under the title, e.g. a reference number (发文字号), centred in 仿宋. */
export function subtitle(text: string): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: BODY_SPACING, children: [run(text)] });
}

/** First-level heading "一、……": 黑体 3号, indented two characters like the body. */
export function heading(text: string, options: { newPage?: boolean } = {}): Paragraph {
  return new Paragraph({
    pageBreakBefore: options.newPage,
    spacing: BODY_SPACING,
    indent: { firstLine: CHAR_3HAO * 2 },
    keepNext: true,
    children: [run(text, { role: 'heading' })],
  });
}

/** Second-level heading "（一）……": 楷体 3号. */
export function subheading(text: string): Paragraph {
  return new Paragraph({
    spacing: BODY_SPACING,
    indent: { firstLine: CHAR_3HAO * 2 },
    keepNext: true,
    children: [run(text, { role: 'kai' })],
  });
}

/** Body text: 仿宋 3号, first line indented two characters, fixed 22-lines-a-page pitch. One paragraph per line. */
export function body(text: Optional<string>): Paragraph[] {
  return splitLines(show(text)).map((line) => bodyParagraph([run(line)]));
}

export function bodyParagraph(children: ParagraphChild[], options: { indent?: boolean } = {}): Paragraph {
  return new Paragraph({
    spacing: BODY_SPACING,
    alignment: AlignmentType.JUSTIFIED,
    indent: options.indent === false ? undefined : { firstLine: CHAR_3HAO * 2 },
    children,
  });
}

/** "标签：值" as one body paragraph with the label in 黑体; a missing value leaves the line blank after the colon. */
export function labelled(label: string, value: Optional<string | number>): Paragraph {
  return bodyParagraph([run(`${label}：`, { role: 'heading' }), run(show(value))]);
}

/** 主送机关: flush left, followed by a full-width colon; blank when there is no addressee. */
export function addressee(name: Optional<string>): Paragraph {
  const text = show(name);
  return bodyParagraph([run(text ? `${text}：` : '')], { indent: false });
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五: for "（一）" enumerations and "一、" headings. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1000) return String(n);
  if (n < 10) return DIGITS[n] as string;
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`;
  const rest = n % 100;
  const tail = rest === 0 ? '' : rest < 10 ? `零${DIGITS[rest]}` : rest < 20 ? `一${chineseNumber(rest)}` : chineseNumber(rest);
  return `${DIGITS[Math.floor(n / 100)]}百${tail}`;
}

export function blankLine(): Paragraph {
  return new Paragraph({ spacing: BODY_SPACING, children: [run('')] });
}

/** One line flush with the right edge, e.g. a letter's 发文字号 (GB/T 9704 信函格式). */
export function flushRight(text: Optional<string>): Paragraph {
  return new Paragraph({ alignment: AlignmentType.RIGHT, spacing: BODY_SPACING, children: [run(show(text))] });
}

/** Right-aligned closing lines: the issuing body and the date, kept four characters from the right edge. */
export function signature(lines: Optional<string>[]): Paragraph[] {
  return lines.map(
    (line) =>
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        spacing: BODY_SPACING,
        indent: { right: CHAR_3HAO * 4 },
        children: [run(show(line))],
      }),
  );
}

/** Multi-line input keeps its line breaks as separate paragraphs; blank input is one blank paragraph. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

// ---------------------------------------------------------------- tables

// Borders and cell margins are set once on the table: per-cell properties on a 500-row summary table cost a third
// of a second to build.
const TABLE_LINE = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;
const TABLE_BORDERS = {
  top: TABLE_LINE,
  bottom: TABLE_LINE,
  left: TABLE_LINE,
  right: TABLE_LINE,
  insideHorizontal: TABLE_LINE,
  insideVertical: TABLE_LINE,
} as const;
const CELL_MARGIN = { top: 40, bottom: 40, left: 100, right: 100 } as const;

export type TableTextSize = typeof SIZE.si | typeof SIZE.xiaosi | typeof SIZE.wu;
const TABLE_TEXT_SIZES: readonly TableTextSize[] = [SIZE.si, SIZE.xiaosi, SIZE.wu];

/** Paragraph style for table text of one size; cells name it instead of repeating fonts on every run. */
const tableStyleId = (size: TableTextSize) => `FRTable${size}`;

export type Align = 'left' | 'center' | 'right';

/** One line of a cell with its own alignment, e.g. a signature line set to the right. */
export interface CellLine {
  text: Optional<string>;
  align?: Align;
}

export type CellValue = Optional<string | number> | readonly CellLine[];

export interface CellOptions {
  size?: TableTextSize;
  role?: FontRole;
  bold?: boolean;
  align?: Align;
  columnSpan?: number;
}

const ALIGNMENT = { left: undefined, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;

function cellLines(value: CellValue, align: Align): CellLine[] {
  if (Array.isArray(value)) return (value as readonly CellLine[]).flatMap((line) => splitLines(show(line.text)).map((text) => ({ text, align: line.align ?? align })));
  return splitLines(show(value as Optional<string | number>)).map((text) => ({ text, align }));
}

/** A cell holding text (one paragraph per line) in the table text style, single-spaced rather than the body pitch. */
export function cell(value: CellValue, width: number, options: CellOptions = {}): TableCell {
  const role = options.role ?? 'body';
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    columnSpan: options.columnSpan,
    verticalAlign: VerticalAlignTable.CENTER,
    children: cellLines(value, options.align ?? 'left').map(
      (line) =>
        new Paragraph({
          style: tableStyleId(options.size ?? SIZE.si),
          alignment: ALIGNMENT[line.align ?? 'left'],
          children: [
            new TextRun({ text: show(line.text), bold: options.bold, font: role === 'body' ? undefined : fontFor(role) }),
          ],
        }),
    ),
  });
}

/** Rows short enough to move whole to the next page rather than break; a longer row must be allowed to break. */
const UNBREAKABLE_ROW_CHARS = 400;

function rowLength(values: readonly CellValue[]): number {
  return values.reduce<number>((total, value) => total + cellLines(value, 'left').reduce((n, line) => n + show(line.text).length + 20, 0), 0);
}

/** A fixed-layout table across the text block; widths are fractions that sum to 1. */
export function table(rows: TableRow[], fractions: readonly number[]): Table {
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: columnWidths(fractions),
    borders: TABLE_BORDERS,
    margins: CELL_MARGIN,
    rows,
  });
}

export function columnWidths(fractions: readonly number[]): number[] {
  return fractions.map((fraction) => Math.floor(TEXT_WIDTH * fraction));
}

/** A header row (黑体, repeated on every page the table runs over). */
export function headerRow(labels: readonly string[], widths: readonly number[], size: TableTextSize = SIZE.si): TableRow {
  return new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: labels.map((label, i) => cell(label, widths[i] ?? 0, { size, role: 'heading', align: 'center' })),
  });
}

/** A two-column "label | value" form row: the label in 黑体, centred. */
export function labelValueRow(label: string, value: CellValue, widths: readonly [number, number], size: TableTextSize = SIZE.si): TableRow {
  return new TableRow({
    cantSplit: rowLength([label, value]) < UNBREAKABLE_ROW_CHARS,
    children: [cell(label, widths[0], { size, role: 'heading', align: 'center' }), cell(value, widths[1], { size })],
  });
}

/** A data row, one cell per value, aligned per column. */
export function dataRow(
  values: readonly CellValue[],
  widths: readonly number[],
  options: { size?: TableTextSize; align?: readonly Align[]; columnSpan?: number } = {},
): TableRow {
  return new TableRow({
    cantSplit: rowLength(values) < UNBREAKABLE_ROW_CHARS,
    children: values.map((value, i) =>
      cell(value, widths[i] ?? 0, { size: options.size, align: options.align?.[i] ?? 'left', columnSpan: options.columnSpan }),
    ),
  });
}

/** "☑ 是  □ 否" style choices: the chosen option is ticked, the others are left as empty boxes. */
export function checkboxes(options: readonly { label: string; checked: boolean }[]): string {
  return options.map((o) => `${o.checked ? '☑' : '□'}${o.label}`).join('    ');
}

// ---------------------------------------------------------------- comments

const COMMENT_STYLE_ID = 'FRComment';

/** One paragraph of a Word comment: 仿宋 五号 from the comment style, the label part in bold. */
export function commentParagraph(label: string, value: Optional<string> = ''): Paragraph {
  const children = [new TextRun({ text: cleanText(label), bold: true })];
  const text = show(value);
  if (text) children.push(new TextRun({ text }));
  return new Paragraph({ style: COMMENT_STYLE_ID, children });
}

// ---------------------------------------------------------------- page furniture and packing

function pageNumberFooter(align: 'left' | 'right'): Footer {
  const style = { font: fontFor('song'), size: SIZE.si };
  return new Footer({
    children: [
      new Paragraph({
        alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        // GB/T 9704 keeps the number one character in from the outer edge.
        indent: align === 'right' ? { right: 280 } : { left: 280 },
        children: [new TextRun({ ...style, children: ['— ', PageNumber.CURRENT, ' —'] })],
      }),
    ],
  });
}

export interface OfficialDocumentOptions {
  /** Shown in the file's properties (Word: File → Info). */
  title: string;
  children: FileChild[];
  comments?: ICommentOptions[];
}

/** Packs one report: A4, GB/T 9704 margins and footer, default run in 仿宋 3号, fonts declared with fallbacks. */
export function packDocument(options: OfficialDocumentOptions): Promise<Buffer> {
  const document = new Document({
    title: cleanText(options.title),
    creator: 'FairReview 公平竞争审查系统',
    evenAndOddHeaderAndFooters: true,
    comments: options.comments && options.comments.length > 0 ? { children: options.comments } : undefined,
    styles: {
      default: {
        document: {
          run: { font: fontFor('body'), size: SIZE.san },
          paragraph: { spacing: BODY_SPACING },
        },
      },
      paragraphStyles: [
        ...TABLE_TEXT_SIZES.map((size) => ({
          id: tableStyleId(size),
          name: `FR Table ${size / 2}pt`,
          basedOn: 'Normal',
          quickFormat: false,
          run: { font: fontFor('body'), size },
          paragraph: { spacing: { line: 300, lineRule: LineRuleType.AUTO, before: 0, after: 0 } },
        })),
        {
          id: COMMENT_STYLE_ID,
          name: 'FR Comment',
          basedOn: 'Normal',
          run: { font: fontFor('body'), size: SIZE.wu },
          paragraph: { spacing: { line: 260, lineRule: LineRuleType.AUTO, before: 0, after: 0 } },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { ...PAGE.margin, header: PAGE.headerDistance, footer: PAGE.footerDistance },
          },
        },
        footers: { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
        children: options.children,
      },
    ],
  });
  return Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
}
