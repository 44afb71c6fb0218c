//! `pachsecret tls`: kubectl's behaviour (kubectl-behaviour.md §3) and the checks beyond it.
