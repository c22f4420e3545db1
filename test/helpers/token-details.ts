/** The value the Token details page shows for the ID-token claim `name` (still HTML-escaped), or undefined when it has none. */
export function claim(html: string, name: string): string | undefined {
  return new RegExp(`<code>${name}</code></th><td class="value">([^<]*)<`).exec(html)?.[1];
}
