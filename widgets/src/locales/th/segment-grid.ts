import { str } from "@lit/localize";

/** The segment grid's strings, by message ID. */
export const templates = {
  "grid.title": "กลุ่มลูกค้า ABC-XYZ",
  "grid.measure.revenue": "รายได้",
  "grid.measure.margin": "กำไรขั้นต้น",
  "grid.window": str`${0} ตั้งแต่ ${1} ถึง ${2}`,
  "grid.explain": "วิธีจัดกลุ่ม",
  "grid.x": "X · สม่ำเสมอ",
  "grid.y": "Y · ผันแปร",
  "grid.z": "Z · ไม่สม่ำเสมอ",
  "grid.accounts": str`${0} บัญชี`,
  "grid.share": str`${0} ของมูลค่า`,
  "grid.explain.abc": str`ABC เรียงบัญชีตาม${0}จากมากไปน้อย: บัญชีเป็น A เมื่อบัญชีที่อยู่เหนือกว่ารวมกันน้อยกว่า ${1} ของทั้งหมด เป็น B เมื่อน้อยกว่า ${2} และเป็น C หลังจากนั้น`,
  "grid.explain.xyz": str`XYZ วัดความสม่ำเสมอด้วยสัมประสิทธิ์การแปรผันของมูลค่ารายเดือน: X ไม่เกิน ${0}, Y ไม่เกิน ${1}, Z มากกว่านั้น และเป็น Z เมื่อมีประวัติน้อยกว่า ${2} เดือน`,
  "grid.list.title": str`บัญชีในกลุ่ม ${0}`,
  "grid.back": "กลับไปที่ตาราง",
  "grid.list.empty": "ไม่มีบัญชีในช่องนี้",
  "grid.row.cv": str`CV ${0}`,
  "grid.row.months": str`${0} เดือน`,
  "grid.flag.no-sales": "ไม่มียอดขายในช่วงนี้",
  "grid.flag.short": "ประวัติสั้น",
  "grid.trial": "กำลังทดลองการตั้งค่า: ยังไม่บันทึก",
};
