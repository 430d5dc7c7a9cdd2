# The official Odoo 18.0 image with this repository's Python dependencies (requirements.txt:
# the `holidays` library of the working calendar), from PyPI, and the reports' font. The addons are mounted, not
# copied: docker-compose.yml and docker-compose.prod.yml bind ./addons.
FROM odoo:18.0
USER root
# Liberation 2: the metric twin of Times New Roman (the reports' font) with Vietnamese letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/hy-requirements.txt
RUN pip3 install --no-cache-dir --break-system-packages -r /tmp/hy-requirements.txt \
    && rm /tmp/hy-requirements.txt
USER odoo
