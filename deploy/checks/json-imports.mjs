// A module-loader hook (node:module register): GitHub's @actions/workflow-parser is published for
// bundlers and imports its JSON schema without `with { type: "json" }`, which Node refuses; this
// gives every .json import that attribute.
export async function load(url, context, nextLoad) {
  if (url.endsWith(".json")) {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
  }
  return nextLoad(url, context);
}
