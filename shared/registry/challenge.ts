/**
 * Reads a `WWW-Authenticate` header (RFC 7235) into its challenges. Registries
 * send `Basic realm="…"` or `Bearer realm="…",service="…",scope="…"`; scope
 * may hold several space-separated entries and quoted values may hold commas.
 */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenges(header: string | null | undefined): Challenge[] {
  if (!header) return [];
  const challenges: Challenge[] = [];
  let i = 0;
  const text = header;
  const skipSpaces = () => {
    while (i < text.length && /[\s,]/.test(text[i] as string)) i++;
  };
  const readToken = () => {
    const start = i;
    while (i < text.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(text[i] as string)) i++;
    return text.slice(start, i);
  };
  while (i < text.length) {
    skipSpaces();
    const scheme = readToken();
    if (scheme === '') break;
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      while (i < text.length && /\s/.test(text[i] as string)) i++;
      const mark = i;
      const name = readToken();
      while (i < text.length && /\s/.test(text[i] as string)) i++;
      if (name === '' || text[i] !== '=') {
        // Not a parameter: it is the next challenge's scheme.
        i = mark;
        break;
      }
      i++;
      while (i < text.length && /\s/.test(text[i] as string)) i++;
      let value = '';
      if (text[i] === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          value += text[i];
          i++;
        }
        i++;
      } else {
        value = readToken();
      }
      challenge.params[name.toLowerCase()] = value;
      while (i < text.length && /\s/.test(text[i] as string)) i++;
      if (text[i] === ',') i++;
      else break;
    }
  }
  return challenges;
}

/** The challenge we can answer, Bearer preferred over Basic. */
export function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic')
  );
}
