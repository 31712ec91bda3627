import { str } from "@lit/localize";

export const templates = {
  "state.loading": "กำลังโหลด…",
  "state.empty": "ไม่มีข้อมูลที่จะแสดง",
  "state.error": "โหลดข้อมูลไม่สำเร็จ",
  "state.expired": "เซสชันหมดอายุแล้ว โปรดเข้าสู่ระบบอีกครั้งเพื่อดูข้อมูลนี้",
  "state.offline": str`ออฟไลน์: แสดงข้อมูลเมื่อ ${0}`,
  "state.retry": "ลองอีกครั้ง",
  "state.no-token": "ไม่มีโทเค็น: วิดเจ็ตนี้ต้องใช้โทเค็นเพื่ออ่านข้อมูลจาก KAM",
};
