/**
 * A country's flag as an SVG image (flag-icons, MIT). Emoji flags read as two letters on Windows and
 * as empty boxes where no emoji font is installed, so they are not used. The images are separate
 * files (vite.config.ts keeps them out of the bundle), fetched only for the flags shown.
 */
const files = import.meta.glob<string>('../../../node_modules/flag-icons/flags/4x3/*.svg', {
  query: '?url',
  import: 'default',
  eager: true,
});
const urls = new Map(
  Object.entries(files).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1, -'.svg'.length), url]),
);

/** The flag of an ISO 3166 alpha-2 code, or nothing for a code without one. Decorative: the name goes beside it. */
export function CountryFlag({ code }: { code: string }) {
  const url = urls.get(code.toLowerCase());
  if (!url) return null;
  return (
    <img
      src={url}
      alt=""
      width={20}
      height={15}
      data-testid="country-flag"
      style={{
        verticalAlign: '-2px',
        borderRadius: 2,
        boxShadow: '0 0 0 1px var(--mantine-color-default-border)',
      }}
    />
  );
}
