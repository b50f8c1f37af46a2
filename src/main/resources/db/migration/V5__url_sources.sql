-- Jobs whose source is a URL, fetched by the worker. Until it is fetched, such a job has no original,
-- format, dimensions or hash: those columns are filled in once the image has been checked and stored.
ALTER TABLE jobs ADD COLUMN source_url VARCHAR(2048);
