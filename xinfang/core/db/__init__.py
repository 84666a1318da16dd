"""The PostgreSQL backend (`ENGINE = "xinfang.core.db"`): Django's, with foreign keys that can name a
partitioned table (see xinfang/core/partitions.py). settings.py selects it for every postgres:// URL."""
