import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Top functions by self time: `name (file:line)` with milliseconds and share of all samples. */
  topFunctions: { fn: string; selfMs: number; share: number }[];
  /** Self time by where the code lives: a package in node_modules, the bridge, Node internals, GC, idle. */
  byArea: { area: string; selfMs: number; share: number }[];
}

function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.includes('/apps/bridge/src/')) return `bridge ${url.split('/apps/bridge/src/')[1]!.split('/')[0]}`;
  if (url.includes('/packages/')) return `@flexcord/${url.split('/packages/')[1]!.split('/')[0]}`;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/')[0]!;
  return url.split('/').slice(-2).join('/');
}

/** Top self-time functions and areas of a `.cpuprofile` (inspector Profiler or `node --cpu-prof`). */
export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    total += us;
    const where = frame.url
      ? ` (${frame.url.replace(/^.*\/(node_modules|apps|packages)\//, '$1/')}:${frame.lineNumber + 1})`
      : '';
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const rank = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 1000),
        share: Math.round((us / total) * 1000) / 1000,
      }));
  return {
    file,
    totalMs: Math.round(total / 1000),
    topFunctions: rank(fns).map(({ name, ...rest }) => ({ fn: name, ...rest })),
    byArea: rank(areas).map(({ name, ...rest }) => ({ area: name, ...rest })),
  };
}
