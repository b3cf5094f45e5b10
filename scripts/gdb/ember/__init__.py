"""Ember's GDB extension (scripts/gdb/ember.py loads it): commands, printers, unwinding."""
