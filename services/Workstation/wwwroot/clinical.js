// The clinical scales the forms offer, as the services define them (services/Clinical): the page shows live counts and
// bands while the clinician enters them; the service derives and checks them again on recording.

export const Criteria = [
  ['larger-amounts-or-longer-than-intended', 'Taken in larger amounts or over a longer period than intended'],
  ['unsuccessful-efforts-to-cut-down', 'Persistent desire or unsuccessful efforts to cut down'],
  ['much-time-spent-obtaining-using-recovering', 'Much time spent obtaining, using or recovering'],
  ['craving', 'Craving'],
  ['failure-to-fulfil-major-obligations', 'Failure to fulfil major obligations'],
  ['use-despite-social-problems', 'Continued use despite social or interpersonal problems'],
  ['activities-given-up', 'Important activities given up or reduced'],
  ['use-in-hazardous-situations', 'Recurrent use in physically hazardous situations'],
  ['use-despite-physical-or-psychological-harm', 'Continued use despite physical or psychological harm'],
  ['tolerance', 'Tolerance'],
  ['withdrawal', 'Withdrawal'],
];

/** DSM-5 OUD: tolerance and withdrawal do not count under medical supervision; none 0-1, mild 2-3, moderate 4-5, severe 6+. */
export function oudSeverity(met, onlyUnderMedicalSupervision) {
  const counted = met.filter(c => !(onlyUnderMedicalSupervision && (c === 'tolerance' || c === 'withdrawal'))).length;
  const severity = counted < 2 ? 'none' : counted <= 3 ? 'mild' : counted <= 5 ? 'moderate' : 'severe';
  return { counted, severity };
}

/** COWS: each item's own scale (never rounded); bands <5 none, 5-12 mild, 13-24 moderate, 25-36 moderately severe, >36 severe. */
export const CowsItems = [
  ['resting-pulse-rate', 'Resting pulse rate', [[0, '0 · 80 or below'], [1, '1 · 81-100'], [2, '2 · 101-120'], [4, '4 · above 120']]],
  ['sweating', 'Sweating', [0, 1, 2, 3, 4]],
  ['restlessness', 'Restlessness', [0, 1, 3, 5]],
  ['pupil-size', 'Pupil size', [0, 1, 2, 5]],
  ['bone-or-joint-aches', 'Bone or joint aches', [0, 1, 2, 4]],
  ['runny-nose-or-tearing', 'Runny nose or tearing', [0, 1, 2, 4]],
  ['gi-upset', 'GI upset', [0, 1, 2, 3, 5]],
  ['tremor', 'Tremor', [0, 1, 2, 4]],
  ['yawning', 'Yawning', [0, 1, 2, 4]],
  ['anxiety-or-irritability', 'Anxiety or irritability', [0, 1, 2, 4]],
  ['gooseflesh-skin', 'Gooseflesh skin', [0, 3, 5]],
];

export function cowsBand(total) {
  return total < 5 ? 'no active withdrawal' : total <= 12 ? 'mild' : total <= 24 ? 'moderate' : total <= 36 ? 'moderately severe' : 'severe';
}

export const Medications = [['methadone', 'Methadone'], ['buprenorphine', 'Buprenorphine'], ['extended-release-naltrexone', 'Extended-release naltrexone']];
export const ScreenSubstances = ['opiates', 'fentanyl', 'oxycodone', 'methadone', 'buprenorphine', 'cocaine', 'amphetamines', 'benzodiazepines', 'cannabis'];
export const ReportedSubstances = ['heroin', 'fentanyl', 'oxycodone', 'other-opioid', 'methadone', 'buprenorphine', 'cocaine', 'amphetamines',
  'benzodiazepines', 'cannabis', 'alcohol', 'other'];
