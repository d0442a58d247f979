// The template editor: an error's "Line N" link puts the cursor on that line of the source.
// Without JavaScript the link still jumps to the textarea, and each error shows its line.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-line]");
  const source = document.getElementById("source");
  if (!link || !source) return;
  event.preventDefault();
  const line = Number(link.dataset.line);
  const lines = source.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
  const end = start + (lines[line - 1] || "").length;
  source.focus();
  source.setSelectionRange(start, end);
  // Scroll the selected line into view: about one line-height per line.
  const lineHeight = parseFloat(getComputedStyle(source).lineHeight) || 20;
  source.scrollTop = Math.max(0, (line - 5) * lineHeight);
});
