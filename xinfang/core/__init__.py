"""Small cross-app plumbing: service errors with stable codes and the controlled clock."""
