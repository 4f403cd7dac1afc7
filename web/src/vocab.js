// Categories, modalities and credibility grades of TRANSFERS.md, with colours.

export const CATEGORIES = [
  'small_arms', 'artillery_ammunition', 'rockets', 'ammunition', 'artillery',
  'armoured_vehicles', 'aircraft', 'uav', 'ballistic_missiles', 'missiles',
  'air_defence', 'naval', 'nuclear_technology', 'missile_technology',
  'space_technology', 'military_technology', 'personnel', 'weapons',
];

const COLOURS = {
  small_arms: '#a6761d',
  artillery_ammunition: '#d62728',
  rockets: '#ff7f0e',
  ammunition: '#e377c2',
  artillery: '#8c564b',
  armoured_vehicles: '#637939',
  aircraft: '#1f77b4',
  uav: '#17becf',
  ballistic_missiles: '#9467bd',
  missiles: '#5b2c83',
  air_defence: '#2ca02c',
  naval: '#1b3a6b',
  nuclear_technology: '#b8b000',
  missile_technology: '#c36a9a',
  space_technology: '#6f8fd6',
  military_technology: '#7a9a3a',
  personnel: '#3f3f3f',
  weapons: '#9a9a9a',
};

export function categoryColour(cat) {
  return COLOURS[cat] || '#777777';
}

export function label(code) {
  return String(code ?? '').replace(/_/g, ' ');
}

export const CREDIBILITY = {
  1: 'confirmed',
  2: 'probably true',
  3: 'possibly true',
  4: 'doubtful',
  5: 'improbable',
  6: 'cannot be judged',
};

export function credibilityText(n) {
  return n ? `${n} · ${CREDIBILITY[n] || ''}`.trim() : '–';
}

export const FILTER_KEYS = ['since', 'until', 'supplier', 'recipient', 'actor', 'category', 'modality', 'min_credibility', 'embargo', 'q'];

export function isState(code) {
  return /^[A-Z]{3}$/.test(code || '');
}
