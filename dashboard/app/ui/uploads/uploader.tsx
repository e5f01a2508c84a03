"use client";

import { useCallback, useRef, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { registerUpload, startUpload, uploadStatus } from "@/app/lib/actions";
import { formatBytes, formatNumber } from "@/app/lib/format";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Progress } from "@/components/ui/progress";

/** Browsers hash the whole file in memory (Web Crypto has no streaming digest): larger files go by ./logai upload. */
export const MAX_BROWSER_BYTES = 512 * 1024 * 1024;

type Phase =
  | { step: "idle" }
  | { step: "hashing"; file: File }
  | { step: "uploading"; file: File; sent: number }
  | { step: "processing"; file: File; id: string; status: string; read: number; lines: number }
  | { step: "done"; file: File; id: string; lines: number; summaries: { id: string; title: string }[]; windows: number; anomalies: number }
  | { step: "failed"; message: string };

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** PUT with progress events (fetch has none for request bodies). */
function put(url: string, headers: Record<string, string>, file: File, onProgress: (sent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== "content-length") xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`the object store answered ${xhr.status}`)));
    xhr.onerror = () => reject(new Error("the object store could not be reached from this browser"));
    xhr.send(file);
  });
}

export function Uploader({ sources }: { sources: { id: string; name: string }[] }) {
  const [sourceId, setSourceId] = useState(sources[0]?.id ?? "");
  const [phase, setPhase] = useState<Phase>({ step: "idle" });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const router = useRouter();

  const run = useCallback(
    async (file: File) => {
      if (file.size === 0) return setPhase({ step: "failed", message: `${file.name} is empty.` });
      if (file.size > MAX_BROWSER_BYTES)
        return setPhase({ step: "failed", message: `${file.name} is ${formatBytes(file.size)}; the browser uploads up to ${formatBytes(MAX_BROWSER_BYTES)}. Use ./logai upload for larger files.` });
      setPhase({ step: "hashing", file });
      const sha256 = await sha256Hex(file);
      const ticket = await startUpload({ source_id: sourceId, filename: file.name, size: file.size, sha256 });
      if (!ticket.ok) return setPhase({ step: "failed", message: `${ticket.error.title}. ${ticket.error.detail}` });
      setPhase({ step: "uploading", file, sent: 0 });
      try {
        await put(ticket.data.url, ticket.data.headers, file, (sent) => setPhase({ step: "uploading", file, sent }));
      } catch (e) {
        return setPhase({ step: "failed", message: `Upload failed: ${(e as Error).message}.` });
      }
      const reg = await registerUpload({ source_id: sourceId, object_key: ticket.data.object_key, size: file.size, sha256 });
      if (!reg.ok) return setPhase({ step: "failed", message: `${reg.error.title}. ${reg.error.detail}` });
      const id = reg.data.upload_id;
      for (let i = 0; i < 600; i++) {
        const s = await uploadStatus(id);
        if (!s.ok) return setPhase({ step: "failed", message: `${s.error.title}. ${s.error.detail}` });
        const u = s.data.upload;
        if (u.status === "failed") return setPhase({ step: "failed", message: `Processing failed: ${u.failure_reason ?? "unknown reason"}.` });
        if (u.status === "processed") {
          // the file is read; its windows close (and get their anomalies and summaries) shortly after
          let r = s.data.results;
          for (let j = 0; j < 30 && (!r || r.windows === 0 || r.final_windows < r.windows); j++) {
            setPhase({ step: "processing", file, id, status: "closing windows", read: u.bytes_read, lines: u.line_count });
            await new Promise((res) => setTimeout(res, 1000));
            const again = await uploadStatus(id);
            if (again.ok) r = again.data.results;
          }
          router.refresh();
          return setPhase({ step: "done", file, id, lines: u.line_count, summaries: r?.summaries ?? [], windows: r?.windows ?? 0, anomalies: r?.anomalies ?? 0 });
        }
        setPhase({ step: "processing", file, id, status: u.status, read: u.bytes_read, lines: u.line_count });
        await new Promise((r) => setTimeout(r, 1000));
      }
      setPhase({ step: "failed", message: "Still processing after 10 minutes; the uploads list below shows its status." });
    },
    [sourceId, router],
  );

  const busy = phase.step === "hashing" || phase.step === "uploading" || phase.step === "processing";
  return (
    <div className="grid gap-4">
      <div className="grid max-w-sm gap-1.5">
        <Label htmlFor="upload-source">Source</Label>
        <NativeSelect id="upload-source" value={sourceId} onChange={(e) => setSourceId(e.target.value)} disabled={busy}>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file && !busy) void run(file);
        }}
        className={`grid place-items-center gap-2 rounded-lg border-2 border-dashed p-10 text-center ${dragging ? "border-primary bg-accent" : ""}`}
      >
        <p className="font-medium">Drop a log file here (plain or .gz)</p>
        <p className="text-sm text-muted-foreground">It goes straight to the object store; LogAi then reads it like streamed lines.</p>
        <input
          ref={input}
          type="file"
          className="sr-only"
          id="upload-file"
          aria-label="Choose a log file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void run(file);
            e.target.value = "";
          }}
        />
        <Button type="button" variant="outline" disabled={busy || !sourceId} onClick={() => input.current?.click()}>
          Choose a file
        </Button>
      </div>
      <div aria-live="polite" className="grid gap-2" data-testid="upload-progress">
        {phase.step === "hashing" && <p className="text-sm">Checking {phase.file.name} (SHA-256)…</p>}
        {phase.step === "uploading" && (
          <>
            <p className="text-sm">
              Uploading {phase.file.name}: {formatBytes(phase.sent)} of {formatBytes(phase.file.size)}
            </p>
            <Progress value={(phase.sent / phase.file.size) * 100} aria-label="Upload progress" />
          </>
        )}
        {phase.step === "processing" && (
          <>
            <p className="text-sm">
              Processing ({phase.status}): {formatBytes(phase.read)} of {formatBytes(phase.file.size)} read, {formatNumber(phase.lines)} lines
            </p>
            <Progress value={(phase.read / phase.file.size) * 100} aria-label="Processing progress" />
          </>
        )}
        {phase.step === "done" && (
          <div className="rounded-lg border p-4 text-sm" data-testid="upload-done">
            <p className="font-medium">
              {phase.file.name} processed: {formatNumber(phase.lines)} lines, {phase.windows} windows, {phase.anomalies} anomalies.
            </p>
            <p className="mt-1">
              <Link className="underline" href={`/sources/${sourceId}?range=30d`}>
                See the source
              </Link>
              {phase.summaries.length > 0 && " · incidents: "}
              {phase.summaries.map((s, i) => (
                <span key={s.id}>
                  {i > 0 && ", "}
                  <Link className="underline" href={`/incidents/${encodeURIComponent(s.id)}`}>
                    {s.title}
                  </Link>
                </span>
              ))}
            </p>
          </div>
        )}
        {phase.step === "failed" && (
          <p role="alert" className="text-sm text-destructive">
            {phase.message}
          </p>
        )}
      </div>
    </div>
  );
}
