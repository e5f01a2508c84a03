-- Uploads (seed spec §3, §12A): a log file PUT straight to S3 through a pre-signed URL, registered,
-- then read by the pipeline in chunks. The seed's upload and chunk tables (V1) grow what the flow
-- needs; both keep V1's forced row-level security (tenant_isolation on org_id) and grants, and every
-- new column lives on those tables, so the policies cover them.
--
-- upload.status: pending (URL issued, nothing registered yet) -> queued (registered, the pipeline
-- has not started reading) -> processing (bytes_read / line_count so far) -> processed (every line
-- read into the pipeline) or failed (failure_reason, failure_offset; the lines before it counted).
-- V1's 'done' becomes 'processed'.
alter table upload drop constraint upload_status_check;
update upload set status = 'processed' where status = 'done';
alter table upload alter column status set default 'pending';
alter table upload add constraint upload_status_check
    check (status in ('pending', 'queued', 'processing', 'processed', 'failed'));

alter table upload
    add column filename         text check (filename is null or length(filename) <= 255),
    -- 'gzip' when the object is gzip-compressed, else null
    add column content_encoding text check (content_encoding is null or content_encoding = 'gzip'),
    add column content_type     text check (content_type is null or length(content_type) <= 128),
    add column expires_at       timestamptz,
    add column registered_at    timestamptz,
    add column started_at       timestamptz,
    add column finished_at      timestamptz,
    -- bytes of the object read so far (compressed bytes for gzip): progress against size
    add column bytes_read       bigint not null default 0 check (bytes_read >= 0),
    add column line_count       bigint not null default 0 check (line_count >= 0),
    -- lines cut at the pipeline's line limit
    add column truncated_lines  bigint not null default 0 check (truncated_lines >= 0),
    -- event time of the first and last timestamped lines read
    add column ts_start         timestamptz,
    add column ts_end           timestamptz,
    add column failure_reason   text check (failure_reason is null or length(failure_reason) <= 1000),
    -- where reading stopped: a byte offset in the object (in the decompressed lines for gzip)
    add column failure_offset   bigint,
    add column updated_at       timestamptz not null default now();

-- One object is one upload: registering it twice finds the same row.
create unique index upload_by_object on upload (org_id, object_key);
create index upload_by_source on upload (org_id, source_id, created_at desc);

-- A chunk is the lines of one read step, identified by where it starts. The id is derived from the
-- upload and the offset, so a step read again after a failover overwrites its row.
alter table chunk
    add column source_id        text,
    add column created_at       timestamptz not null default now();
alter table chunk add constraint chunk_upload_offset unique (org_id, upload_id, "offset");
create index chunk_by_upload on chunk (org_id, upload_id, "offset");
