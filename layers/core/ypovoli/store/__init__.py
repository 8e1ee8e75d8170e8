"""Data access: the only package that calls boto3 (DynamoDB index, S3 dossiers, SQS pump)."""
