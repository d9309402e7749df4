/**
 * A reader for the protobuf text format of Triton's config.pbtxt: fields,
 * nested messages in `{}` or `<>`, lists in `[]`, strings, numbers, enum
 * names and `#` comments. One pass over the text, so its time grows with the
 * text's length whatever the text holds; no schema, so every field is kept
 * as a list of values (a field may repeat).
 */
export type PbValue = string | number | PbMessage;
export interface PbMessage {
  [field: string]: PbValue[];
}

type Token =
  | { kind: 'name'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'punct'; text: string };

export class PbtxtError extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (/\s/.test(c)) {
      i++;
    } else if ('{}[]<>:,;'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) {
        if (text[j] === '\n') throw new PbtxtError('a string runs past the end of its line');
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
      }
      if (j >= text.length) throw new PbtxtError('a string is not closed');
      tokens.push({ kind: 'string', value });
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && /[\w.+-]/.test(text[j] as string)) j++;
      if (j === i) throw new PbtxtError(`unexpected '${c}'`);
      const word = text.slice(i, j);
      const number = Number(word);
      tokens.push(
        /^[-+]?(\d|\.\d)/.test(word) && Number.isFinite(number)
          ? { kind: 'number', value: number }
          : { kind: 'name', text: word },
      );
      i = j;
    }
  }
  return tokens;
}

export function parsePbtxt(text: string): PbMessage {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const isPunct = (t: Token | undefined, p: string) => t?.kind === 'punct' && t.text === p;

  const scalar = (): PbValue => {
    const t = tokens[at++];
    if (t === undefined) throw new PbtxtError('the text ends where a value should be');
    if (t.kind === 'number' || t.kind === 'string') return t.value;
    if (t.kind === 'name') return t.text;
    throw new PbtxtError(`'${t.text}' where a value should be`);
  };

  const value = (): PbValue => {
    const t = peek();
    if (isPunct(t, '{') || isPunct(t, '<')) {
      at++;
      return message(t?.kind === 'punct' && t.text === '{' ? '}' : '>');
    }
    return scalar();
  };

  const message = (close: string | undefined): PbMessage => {
    const out: PbMessage = {};
    for (;;) {
      const t = peek();
      if (t === undefined) {
        if (close === undefined) return out;
        throw new PbtxtError(`a message is not closed with '${close}'`);
      }
      if (close !== undefined && isPunct(t, close)) {
        at++;
        return out;
      }
      if (isPunct(t, ',') || isPunct(t, ';')) {
        at++;
        continue;
      }
      if (t.kind !== 'name') throw new PbtxtError('a field name is missing');
      at++;
      const values = (out[t.text] ??= []);
      if (isPunct(peek(), ':')) at++;
      if (isPunct(peek(), '[')) {
        at++;
        while (!isPunct(peek(), ']')) {
          if (peek() === undefined) throw new PbtxtError(`the list of '${t.text}' is not closed`);
          values.push(value());
          if (isPunct(peek(), ',')) at++;
        }
        at++;
      } else {
        values.push(value());
      }
    }
  };

  return message(undefined);
}

/** The first value of a field, when it is a scalar. */
export function pbScalar(message: PbMessage, field: string): string | number | undefined {
  const value = message[field]?.[0];
  return typeof value === 'object' ? undefined : value;
}

/** The messages of a repeated message field. */
export function pbMessages(message: PbMessage, field: string): PbMessage[] {
  return (message[field] ?? []).filter((v): v is PbMessage => typeof v === 'object');
}
