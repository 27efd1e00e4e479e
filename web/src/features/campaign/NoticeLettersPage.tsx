/** Notice letters (issue #11): being built. */
export function NoticeLettersPage() {
  return <h1>Notice letters</h1>;
}
