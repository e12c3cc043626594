"""The closed bus: principals and ACLs derived from `contracts/`, its secrets, and the admin that applies them."""
