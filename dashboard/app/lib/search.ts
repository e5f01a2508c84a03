import type { SearchHit } from "./types";

/** Where a search result opens. */
export function hrefFor(hit: SearchHit): string {
  switch (hit.kind) {
    case "summary":
      return `/incidents/${encodeURIComponent(hit.id)}`;
    case "pattern":
      return `/sources/${hit.source_id}?range=30d&pattern=${hit.id}`;
    case "anomaly":
      return `/anomalies?source_id=${hit.source_id}&range=7d`;
    case "alert":
      return "/alerts";
  }
}
