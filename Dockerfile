# The official Odoo 18.0 image with this repository's Python dependencies from PyPI
# (requirements.txt: `holidays` for the working calendar, WeasyPrint for the report PDF,
# pyHanko to sign it) and the reports' font. The addons are mounted, not copied:
# docker-compose.yml and docker-compose.prod.yml bind ./addons.
FROM odoo:18.0
USER root
# Liberation 2: the metric twin of Times New Roman (the reports' font) with Vietnamese letters;
# Pango: WeasyPrint's text layout (the periodic report's PDF).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/hy-requirements.txt
RUN pip3 install --no-cache-dir --break-system-packages -r /tmp/hy-requirements.txt \
    && rm /tmp/hy-requirements.txt
USER odoo
