/** Thai names and the transliteration that turns names into e-mail addresses and domains. */

/** Thai names with the romanisation people use in their e-mail addresses. */
export const thaiNames: Record<"male" | "female" | "last", [string, string][]> = {
  male: [
    ["สมชาย", "Somchai"],
    ["สมศักดิ์", "Somsak"],
    ["ประเสริฐ", "Prasert"],
    ["วิชัย", "Wichai"],
    ["อนันต์", "Anan"],
    ["ชัยวัฒน์", "Chaiwat"],
    ["กิตติศักดิ์", "Kittisak"],
    ["ณัฐพงษ์", "Nattapong"],
    ["ธนากร", "Thanakorn"],
    ["สุรชัย", "Surachai"],
  ],
  female: [
    ["สุดารัตน์", "Sudarat"],
    ["ศิริพร", "Siriporn"],
    ["มาลี", "Malee"],
    ["รัตนา", "Rattana"],
    ["กนกวรรณ", "Kanokwan"],
    ["วนิดา", "Wanida"],
    ["สุภาพร", "Supaporn"],
    ["อรทัย", "Orathai"],
    ["จินตนา", "Jintana"],
    ["นฤมล", "Naruemon"],
  ],
  last: [
    ["ศรีสุข", "Srisuk"],
    ["วงศ์สวัสดิ์", "Wongsawat"],
    ["รัตนกุล", "Rattanakul"],
    ["ทองดี", "Thongdee"],
    ["บุญมี", "Boonmee"],
    ["แก้วมณี", "Kaewmanee"],
    ["เจริญสุข", "Charoensuk"],
    ["สุขสวัสดิ์", "Suksawat"],
    ["ศรีวงศ์", "Sriwong"],
    ["จันทร์เพ็ญ", "Chanphen"],
    ["มีสุข", "Meesuk"],
    ["พึ่งบุญ", "Phuengboon"],
  ],
};

const cyrillic: Record<string, string> = Object.fromEntries(
  [
    ..."а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:y к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u ф:f".split(" "),
    ..."х:kh ц:ts ч:ch ш:sh щ:shch ъ: ы:y ь: э:e ю:yu я:ya".split(" "),
  ].map((pair) => pair.split(":") as [string, string]),
);

/** Lower-case ASCII letters, digits and hyphens, for e-mail addresses and domains. */
export function asciiSlug(text: string) {
  return text
    .toLowerCase()
    .replace(/[а-яё]/g, (letter) => cyrillic[letter] ?? "")
    .replace(/ß/g, "ss")
    .replace(/æ/g, "ae")
    .replace(/œ/g, "oe")
    .replace(/ø/g, "o")
    .replace(/ł/g, "l")
    .normalize("NFKD")
    .replace(/[^a-z0-9\s-]/g, "")
    .trim()
    .replace(/[\s-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
