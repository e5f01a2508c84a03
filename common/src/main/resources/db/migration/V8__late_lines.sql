-- Lines that came later than their own source's allowed lateness, per window: not counted in the
-- window's totals (they went to the dead-letter topic), but counted here, so users see what was not
-- counted. The pipeline writes running totals (idempotent). A window that only ever had late lines
-- has a row with line_count 0.
alter table window_stats add column late_lines bigint not null default 0;
