/** Plain text with its http(s) links made clickable; keeps line breaks. */
import { Anchor, Text } from '@mantine/core';
import type { ReactNode } from 'react';

const urlPattern = /https?:\/\/[^\s<>"']+/g;
const trailingPunctuation = /[.,;:!?)\]]+$/;

function linkify(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index;
    const raw = match[0];
    const url = raw.replace(trailingPunctuation, '');
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <Anchor key={start} href={url} target="_blank" rel="noopener noreferrer">
        {url}
      </Anchor>,
    );
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Renders `text` preformatted-ish (wrapping, line breaks kept) with links. */
export function LinkifiedText({ text }: { text: string }) {
  return (
    <Text component="div" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} fz="sm">
      {linkify(text)}
    </Text>
  );
}
