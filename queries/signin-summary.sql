-- Per-user sign-in summary over a diagnostic-settings archive (Spark SQL: Databricks, Synapse;
-- DuckDB runs the same text in CI). Output columns, one row per user:
--   userId, userPrincipalName, lastInteractiveSignIn, lastNonInteractiveSignIn,
--   registrationPrompts, signIns, windowStart, windowEnd
-- Give the result to mfa-audit as a CSV; it is read as a sign-in input of its own kind.
--
-- Before running, define two views (see queries/README.md):
--   sign_in_records : every record of the insights-logs-signinlogs and
--                     insights-logs-noninteractiveusersigninlogs containers, as read by
--                     spark.read.json (columns category, properties.*)
--   params          : one row with window_start and window_end (TIMESTAMP), the period covered
--
-- The counting rules are the audit's own (src/input/signin_rules.rs, restated in README.md):
-- interactive = category SignInLogs; a counted interactive sign-in succeeded (errorCode 0) or
-- was interrupted (an interrupt code); a counted non-interactive one succeeded; a registration
-- prompt is an interactive 50072 or 50079. Re-delivered records are counted once (DISTINCT).
WITH recs AS (
  SELECT DISTINCT
    properties.id AS id,
    category AS category,
    properties.userId AS user_id,
    properties.userPrincipalName AS upn,
    CAST(replace(substr(CAST(properties.createdDateTime AS STRING), 1, 19), 'T', ' ') AS TIMESTAMP) AS signed_in_at,
    CAST(properties.status.errorCode AS BIGINT) AS code
  FROM sign_in_records
  WHERE category IN ('SignInLogs', 'NonInteractiveUserSignInLogs')
    AND properties.userId IS NOT NULL
),
counted AS (
  SELECT
    user_id,
    upn,
    signed_in_at,
    code,
    category = 'SignInLogs' AS interactive,
    code = 0 AS success,
    code IN (50072, 50074, 50076, 50079, 50097, 50125, 50140, 50158, 50199, 81010, 81012, 16000, 16001) AS interrupted
  FROM recs
  WHERE signed_in_at >= (SELECT window_start FROM params)
    AND signed_in_at < (SELECT window_end FROM params)
)
SELECT
  user_id AS userId,
  max(upn) AS userPrincipalName,
  max(CASE WHEN interactive AND (success OR interrupted) THEN signed_in_at END) AS lastInteractiveSignIn,
  max(CASE WHEN NOT interactive AND success THEN signed_in_at END) AS lastNonInteractiveSignIn,
  sum(CASE WHEN interactive AND code IN (50072, 50079) THEN 1 ELSE 0 END) AS registrationPrompts,
  count(*) AS signIns,
  (SELECT window_start FROM params) AS windowStart,
  (SELECT window_end FROM params) AS windowEnd
FROM counted
GROUP BY user_id
ORDER BY userPrincipalName
