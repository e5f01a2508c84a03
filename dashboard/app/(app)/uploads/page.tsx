import { attempt, getMe, may } from "@/app/lib/api";
import { formatBytes, formatNumber, formatTime } from "@/app/lib/format";
import type { Source, Upload } from "@/app/lib/types";
import { StatusBadge } from "@/app/ui/severity";
import { EmptyState, ErrorState, PageHeader } from "@/app/ui/states";
import { Uploader } from "@/app/ui/uploads/uploader";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata = { title: "Uploads" };

export default async function UploadsPage() {
  const me = await getMe();
  const [uploads, sources] = await Promise.all([
    attempt<{ items: Upload[] }>("/v1/uploads?limit=100"),
    attempt<{ items: Source[] }>("/v1/sources"),
  ]);
  const names = new Map((sources.ok ? sources.data.items : []).map((s) => [s.id, s.name]));
  return (
    <div className="grid gap-6">
      <PageHeader title="Uploads" description="Whole files, old or new: uploaded from your browser, then read by the pipeline." />
      {may(me, "ingest") ? (
        sources.ok && sources.data.items.length > 0 ? (
          <Card>
            <CardHeader>
              <CardTitle>Upload a file</CardTitle>
            </CardHeader>
            <CardContent>
              <Uploader sources={sources.data.items.map((s) => ({ id: s.id, name: s.name }))} />
            </CardContent>
          </Card>
        ) : (
          <EmptyState title="No source to upload to">Create a source on the Overview first.</EmptyState>
        )
      ) : (
        <p className="text-sm text-muted-foreground">Viewers can see uploads; members, admins and owners upload files.</p>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Recent uploads</CardTitle>
        </CardHeader>
        <CardContent>
          {!uploads.ok ? (
            <ErrorState error={uploads.error} what="the uploads" />
          ) : uploads.data.items.length === 0 ? (
            <EmptyState title="No uploads yet">Drop a file above, or run ./logai upload app.log.</EmptyState>
          ) : (
            <Table aria-label="Uploads">
              <TableHeader>
                <TableRow>
                  <TableHead>File</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Size</TableHead>
                  <TableHead className="text-right">Lines</TableHead>
                  <TableHead>Log time range</TableHead>
                  <TableHead>Uploaded</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {uploads.data.items.map((u) => (
                  <TableRow key={u.id}>
                    <TableCell>
                      <div className="font-medium">{u.filename ?? u.id}</div>
                      <div className="text-xs text-muted-foreground">{names.get(u.source_id) ?? u.source_id}</div>
                      {u.failure_reason && <div className="text-xs text-destructive">{u.failure_reason}</div>}
                    </TableCell>
                    <TableCell>
                      <StatusBadge status={u.status} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{formatBytes(u.size)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatNumber(u.line_count)}</TableCell>
                    <TableCell className="text-xs">
                      {u.ts_start ? (
                        <a className="underline" href={`/sources/${u.source_id}?from=${u.ts_start}&to=${u.ts_end ?? u.ts_start}`}>
                          {formatTime(u.ts_start)} – {formatTime(u.ts_end)}
                        </a>
                      ) : (
                        "—"
                      )}
                    </TableCell>
                    <TableCell className="text-xs">{formatTime(u.created_at)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
