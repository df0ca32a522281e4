// Small DOM helpers shared by the page modules. Text is only ever inserted as
// text nodes, never as HTML: the reader's reply cannot become markup.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

// The element of `root` with this data-role (see protocol.js).
export function part(root, role) {
  return root.querySelector(`[data-role="${role}"]`);
}

export function plural(n, one, many) {
  return `${n} ${n > 1 ? many : one}`;
}
