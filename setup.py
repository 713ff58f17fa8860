"Package metadata for cxr_notes, read from settings.ini (the nbdev template, without pkg_resources)."
from configparser import ConfigParser
import re, setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

expected = ('version description keywords author author_email license min_python lib_name '
            'repo user branch audience status language').split()
missing = [o for o in expected if o not in cfg]
if missing: raise SystemExit(f"settings.ini is missing the keys: {', '.join(missing)}")

licenses = {'apache2': 'Apache-2.0'}   # SPDX expressions; license classifiers are deprecated
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable',
            '6 - Mature', '7 - Inactive']
# Only the Python versions that CI tests are claimed (python_requires still admits min_python and up).
tested_pythons = ['3.11']

def split_reqs(key): return cfg.get(key, '').split()

requirements = split_reqs('requirements')
dev_requirements = split_reqs('dev_requirements')
lic = licenses[cfg['license']]
min_python = cfg['min_python']
scripts = [o.strip() for o in cfg.get('console_scripts', '').splitlines() if o.strip()]
# Optional extras: `pip install "cxr_notes[dicom]"` reads DICOM through pydicom,
# `pip install "cxr_notes[distributed]"` adds Hugging Face accelerate for several GPUs.
extras = {'dev': dev_requirements,
          'dicom': ['pydicom>=2.3'],
          'distributed': ['accelerate>=0.21']}

readme = open('README.md', encoding='utf-8').read()
# Relative image links in the README point into the repo; PyPI needs absolute ones.
raw = f"https://raw.githubusercontent.com/{cfg['user']}/{cfg['repo']}/{cfg['branch']}/"
readme = re.sub(r'(!\[[^\]]*\]\()(?!https?://)', r'\1' + raw, readme)

setuptools.setup(
    name=cfg['lib_name'],
    license_expression=lic,
    license_files=['LICENSE'],
    classifiers=['Development Status :: ' + next(s for s in statuses if s.startswith(cfg['status'] + ' ')),
                 'Intended Audience :: ' + cfg['audience'].title(),
                 'Natural Language :: ' + cfg['language'].title(),
                 'Topic :: Scientific/Engineering :: Medical Science Apps.',
                 'Topic :: Scientific/Engineering :: Artificial Intelligence'] +
                ['Programming Language :: Python :: ' + o for o in tested_pythons],
    url=cfg['git_url'],
    project_urls={'Documentation': f"{cfg['doc_host']}{cfg['doc_baseurl']}/", 'Source': cfg['git_url'],
                  'Issues': f"{cfg['git_url']}/issues", 'Changelog': f"{cfg['git_url']}/blob/{cfg['branch']}/CHANGELOG.md"},
    packages=setuptools.find_packages(include=[cfg['lib_name'], cfg['lib_name'] + '.*']),
    include_package_data=True,
    install_requires=requirements,
    extras_require=extras,
    python_requires='>=' + min_python,
    long_description=readme,
    long_description_content_type='text/markdown',
    zip_safe=False,
    entry_points={'console_scripts': scripts,
                  'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    version=cfg['version'], description=cfg['description'], keywords=cfg['keywords'],
    author=cfg['author'], author_email=cfg['author_email'])
