-- Which model wrote a summary is llm_model; this says why that one: 'primary'; 'second: non_urgent'
-- (old data such as uploads and backfills go to the second model), 'second: budget' or
-- 'second: <the first model's failure>'; 'extractive' (fallback_reason says why); 'cache'.
-- On the summary table, so V1's forced row-level security covers it.
alter table summary add column model_reason text not null default ''
    check (length(model_reason) <= 300);
