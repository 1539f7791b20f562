// Deep-search hits as the command line prints them: one line per photo for people, with the parts that found it
// under --explain, and a flat JSON shape (id, path, scores, matched fields) for scripts.
import type { DeepSearchHit, DeepSearchResponse, MatchedField, QueryExpansion } from '../../src-preload/api';

/** An excerpt with its matched words in [brackets], for a terminal that has no highlighting. */
export function bracketed(field: MatchedField): string {
  let out = '';
  let at = 0;
  for (const [start, end] of field.highlights) {
    out += `${field.snippet.slice(at, start)}[${field.snippet.slice(start, end)}]`;
    at = end;
  }
  return out + field.snippet.slice(at);
}

export function formatDeepHit(hit: DeepSearchHit, explain: boolean): string {
  const lines = [`${hit.photo.id.toString().padStart(6)}  ${hit.score.toFixed(4)}  ${hit.photo.path}`];
  for (const field of hit.text?.fields ?? []) lines.push(`        ${field.field}: ${bracketed(field)}`);
  if (explain) {
    const via = hit.text?.expansion ? ` via "${hit.text.expansion}"` : '';
    const text = hit.text ? `text #${hit.text.rank} (${hit.text.score.toFixed(3)})${via}` : 'text —';
    const vector = hit.vector ? `image #${hit.vector.rank} (${hit.vector.score.toFixed(3)})` : 'image —';
    lines.push(`        ${text}  ${vector}  fused ${hit.score.toFixed(5)}`);
  }
  return lines.join('\n');
}

/** The related words the text side also searched for, as the search box's chips name them. */
export function expansionLine(expansions: readonly QueryExpansion[]): string[] {
  if (expansions.length === 0) return [];
  return [`Also searched the words: ${expansions.map((e) => `${e.term} (${e.relation} of ${e.word})`).join(', ')} — --no-expand to leave them out`];
}

export function deepHitsJson(response: DeepSearchResponse) {
  return {
    query: response.query,
    fusion: response.fusion,
    terms: response.terms,
    expansions: response.expansions,
    model: response.model,
    notes: response.notes,
    hits: response.hits.map((h) => ({ id: h.photo.id, path: h.photo.path, score: h.score, text: h.text, vector: h.vector })),
  };
}
