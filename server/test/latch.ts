/** A promise the test settles when it chooses: `await l.done` waits until `l.open()`. */
export function latch() {
  let open = () => {};
  const done = new Promise<void>((r) => {
    open = r;
  });
  return { open, done };
}
