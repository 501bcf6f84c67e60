/** Words shown in capitals, or spelled out, wherever a field name is turned into a label. */
const WORDS: Record<string, string> = {
  id: 'ID',
  uid: 'UID',
  hr: 'HR',
  os: 'OS',
  fsa: 'FSA',
  url: 'URL',
  ip: 'IP',
  ms: '(ms)',
  en: '(English)',
  fr: '(French)',
};

/** Labels that read better than the field name turned into words (Django's `verbose_name`). */
const COMMON: Record<string, string> = {
  id: 'ID',
  createdAt: 'Created',
  updatedAt: 'Updated',
  deletedAt: 'Deleted',
  isStaff: 'Staff status',
  isSuperuser: 'Superuser status',
  isActive: 'Active',
  hrUid: 'Health region UID',
  nameEn: 'Name (English)',
  nameFr: 'Name (French)',
  shortNameEn: 'Short name (English)',
  shortNameFr: 'Short name (French)',
  regionEn: 'Region (English)',
  regionFr: 'Region (French)',
  websiteEn: 'Website (English)',
  websiteFr: 'Website (French)',
  osVersion: 'OS version',
  plusOnes: 'Plus-ones',
  durationMs: 'Duration (ms)',
  answerMs: 'Answer time (ms)',
  lastLoginAt: 'Last login',
  emailVerifiedAt: 'Email verified',
  pendingEmail: 'Pending new email (awaiting its code)',
  respondedAt: 'Responded',
  photoType: 'Photo type',
  teacherEmail: "Teacher's email",
  recordId: 'Record ID',
  actorEmail: 'By (email)',
  actor: 'By',
  changes: 'Changed fields',
  newPassword: 'New password',
  userAnswer: 'Answer',
  isCorrect: 'Correct',
  visualHelp: 'Visual help',
  estimatedPopulation: 'Estimated population',
  geoCode: 'Geographic code',
  alphaCode: 'Abbreviation',
};

/** `shortNameEn` → "Short name (English)", `osVersion` → "OS version", `checked_in` → "Checked in". */
export function humanize(name: string): string {
  if (COMMON[name]) return COMMON[name];
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => WORDS[word.toLowerCase()] ?? word.toLowerCase());
  if (!words.length) return name;
  const [first, ...rest] = words;
  const head = WORDS[first.toLowerCase()] ? first : first.charAt(0).toUpperCase() + first.slice(1);
  return [head, ...rest].join(' ');
}
