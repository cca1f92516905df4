/*
 * demo: the generated demo database (deterministic profiles for a given
 * "now"), written in bounded batches.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "demo_int.h"
#include "drop.h"
#include "pdb.h"
#include "schema.h"
#include "segment.h"
#include "timeutil.h"
#include "util.h"

/*
 * Rows and events per write transaction: bound the batch's memory at 1M
 * profiles (some 30 events each).
 */
#define DEMO_BATCH_ROWS		(256 * 1024)
#define DEMO_BATCH_EVENTS	(512 * 1024)
#define DEMO_SEED	UINT64_C(0x5eed2026da7a0001)
#define DEMO_DAY	86400

static const char *const demo_fields =
    "email:string,first_name:string,last_name:string,gender:string,"
    "birth_date:date,city:string,country:string,created_at:datetime,"
    "last_purchase_at:datetime,orders_count:int,total_spent:float,"
    "subscribed_email:bool,tags:tags";

struct demo_weighted {
	const char	*name;
	unsigned	 weight;
};

struct demo_name {
	const char	*text;		/* as shown */
	const char	*latin;		/* for the e-mail address */
};

/* Cyrillic names; female surnames add "а" (Иванов -> Иванова). */
static const struct demo_name demo_ru_male[] = {
	{ "Александр", "aleksandr" }, { "Дмитрий", "dmitry" },
	{ "Максим", "maksim" }, { "Сергей", "sergey" }, { "Андрей", "andrey" },
	{ "Алексей", "aleksey" }, { "Иван", "ivan" }, { "Михаил", "mikhail" },
	{ "Никита", "nikita" }, { "Артём", "artem" }, { "Егор", "egor" },
	{ "Павел", "pavel" }, { "Владимир", "vladimir" }, { "Роман", "roman" },
};
static const struct demo_name demo_ru_female[] = {
	{ "Анна", "anna" }, { "Мария", "maria" }, { "Елена", "elena" },
	{ "Ольга", "olga" }, { "Наталья", "natalya" },
	{ "Екатерина", "ekaterina" }, { "Татьяна", "tatyana" },
	{ "Юлия", "yulia" }, { "Дарья", "darya" }, { "Ирина", "irina" },
	{ "Светлана", "svetlana" }, { "Алина", "alina" },
	{ "Виктория", "viktoria" }, { "Ксения", "ksenia" },
};
static const struct demo_name demo_ru_last[] = {
	{ "Иванов", "ivanov" }, { "Смирнов", "smirnov" },
	{ "Кузнецов", "kuznetsov" }, { "Попов", "popov" },
	{ "Васильев", "vasiliev" }, { "Петров", "petrov" },
	{ "Соколов", "sokolov" }, { "Михайлов", "mikhailov" },
	{ "Новиков", "novikov" }, { "Фёдоров", "fedorov" },
	{ "Морозов", "morozov" }, { "Волков", "volkov" },
	{ "Алексеев", "alekseev" }, { "Лебедев", "lebedev" },
	{ "Семёнов", "semenov" }, { "Егоров", "egorov" },
	{ "Павлов", "pavlov" }, { "Козлов", "kozlov" },
};
static const struct demo_name demo_kz_male[] = {
	{ "Нурлан", "nurlan" }, { "Ержан", "erzhan" }, { "Асхат", "askhat" },
	{ "Данияр", "daniyar" }, { "Арман", "arman" }, { "Бауыржан", "baurzhan" },
};
static const struct demo_name demo_kz_female[] = {
	{ "Айгерим", "aigerim" }, { "Динара", "dinara" }, { "Асель", "asel" },
	{ "Жанар", "zhanar" }, { "Гульнара", "gulnara" }, { "Мадина", "madina" },
};
static const struct demo_name demo_kz_last[] = {
	{ "Ахметов", "akhmetov" }, { "Сулейменов", "suleimenov" },
	{ "Жумабаев", "zhumabaev" }, { "Касымов", "kasymov" },
	{ "Омаров", "omarov" }, { "Нурпеисов", "nurpeisov" },
};
static const struct demo_name demo_en_male[] = {
	{ "John", "john" }, { "Michael", "michael" }, { "Thomas", "thomas" },
	{ "Lukas", "lukas" }, { "David", "david" }, { "Emre", "emre" },
	{ "Mehmet", "mehmet" }, { "James", "james" },
};
static const struct demo_name demo_en_female[] = {
	{ "Emma", "emma" }, { "Sarah", "sarah" }, { "Laura", "laura" },
	{ "Sophie", "sophie" }, { "Elif", "elif" }, { "Zeynep", "zeynep" },
	{ "Olivia", "olivia" }, { "Hannah", "hannah" },
};
/* Latin surnames are the same for women. */
static const struct demo_name demo_en_last[] = {
	{ "Schmidt", "schmidt" }, { "Müller", "mueller" },
	{ "Smith", "smith" }, { "Johnson", "johnson" }, { "Weber", "weber" },
	{ "Brown", "brown" }, { "Yılmaz", "yilmaz" }, { "Kaya", "kaya" },
	{ "Fischer", "fischer" }, { "Miller", "miller" },
};

static const struct demo_weighted demo_cities_ru[] = {
	{ "Moscow", 35 }, { "Saint Petersburg", 14 }, { "Novosibirsk", 6 },
	{ "Yekaterinburg", 6 }, { "Kazan", 6 }, { "Nizhny Novgorod", 5 },
	{ "Chelyabinsk", 4 }, { "Samara", 4 }, { "Rostov-on-Don", 4 },
	{ "Omsk", 3 }, { "Ufa", 3 }, { "Krasnoyarsk", 3 }, { "Voronezh", 3 },
	{ "Perm", 2 }, { "Volgograd", 2 }, { NULL, 0 }
};
static const struct demo_weighted demo_cities_kz[] = {
	{ "Almaty", 45 }, { "Astana", 30 }, { "Shymkent", 12 },
	{ "Karaganda", 8 }, { "Aktobe", 5 }, { NULL, 0 }
};
static const struct demo_weighted demo_cities_by[] = {
	{ "Minsk", 60 }, { "Gomel", 12 }, { "Mogilev", 10 }, { "Vitebsk", 9 },
	{ "Grodno", 9 }, { NULL, 0 }
};
static const struct demo_weighted demo_cities_uz[] = {
	{ "Tashkent", 70 }, { "Samarkand", 20 }, { "Bukhara", 10 }, { NULL, 0 }
};
static const struct demo_weighted demo_cities_am[] = {
	{ "Yerevan", 85 }, { "Gyumri", 15 }, { NULL, 0 }
};
static const struct demo_weighted demo_cities_ge[] = {
	{ "Tbilisi", 80 }, { "Batumi", 20 }, { NULL, 0 }
};
static const struct demo_weighted demo_cities_de[] = {
	{ "Berlin", 40 }, { "Munich", 25 }, { "Hamburg", 20 },
	{ "Frankfurt", 15 }, { NULL, 0 }
};
static const struct demo_weighted demo_cities_us[] = {
	{ "New York", 40 }, { "Los Angeles", 25 }, { "Chicago", 20 },
	{ "Miami", 15 }, { NULL, 0 }
};
static const struct demo_weighted demo_cities_tr[] = {
	{ "Istanbul", 60 }, { "Ankara", 25 }, { "Antalya", 15 }, { NULL, 0 }
};

static const struct demo_weighted demo_domains_cis[] = {
	{ "mail.ru", 30 }, { "yandex.ru", 30 }, { "gmail.com", 30 },
	{ "bk.ru", 5 }, { "inbox.ru", 5 }, { NULL, 0 }
};
static const struct demo_weighted demo_domains_world[] = {
	{ "gmail.com", 60 }, { "outlook.com", 20 }, { "yahoo.com", 20 },
	{ NULL, 0 }
};

enum demo_names { DEMO_NAMES_RU, DEMO_NAMES_KZ, DEMO_NAMES_EN };

static const struct demo_country {
	const char			*code;
	unsigned			 weight;
	const struct demo_weighted	*cities;
	enum demo_names			 names;
} demo_countries[] = {
	{ "RU", 60, demo_cities_ru, DEMO_NAMES_RU },
	{ "KZ", 13, demo_cities_kz, DEMO_NAMES_KZ },
	{ "BY", 8, demo_cities_by, DEMO_NAMES_RU },
	{ "UZ", 4, demo_cities_uz, DEMO_NAMES_RU },
	{ "AM", 3, demo_cities_am, DEMO_NAMES_RU },
	{ "GE", 2, demo_cities_ge, DEMO_NAMES_RU },
	{ "DE", 4, demo_cities_de, DEMO_NAMES_EN },
	{ "US", 3, demo_cities_us, DEMO_NAMES_EN },
	{ "TR", 3, demo_cities_tr, DEMO_NAMES_EN },
};
#define DEMO_NCOUNTRIES (sizeof demo_countries / sizeof demo_countries[0])
#define DEMO_COUNT(a) (sizeof (a) / sizeof (a)[0])

static const char *
demo_pick(uint64_t *st, const struct demo_weighted *w)
{
	unsigned total = 0, r;
	size_t i;

	for (i = 0; w[i].name != NULL; i++)
		total += w[i].weight;
	r = (unsigned)demo_below(st, total);
	for (i = 0; w[i + 1].name != NULL && r >= w[i].weight; i++)
		r -= w[i].weight;
	return w[i].name;
}

static const struct demo_country *
demo_pick_country(uint64_t *st)
{
	unsigned r = (unsigned)demo_below(st, 100);
	size_t i;

	for (i = 0; i < DEMO_NCOUNTRIES - 1 && r >= demo_countries[i].weight; i++)
		r -= demo_countries[i].weight;
	return &demo_countries[i];
}

static void
demo_set_string(struct value *v, const char *s)
{
	v->present = 1;
	v->u.s.p = s;
	v->u.s.len = (uint32_t)strlen(s);
}

/* A birth date making the person `age` full years old today. */
static int32_t
demo_birth_date(uint64_t *st, int32_t today, int age)
{
	int y, m, d;
	int32_t lo, hi;

	tu_civil_from_days(today, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	lo = tu_days_from_civil(y - age - 1, m, d) + 1;
	hi = tu_days_from_civil(y - age, m, d);
	return lo + (int32_t)demo_below(st, (uint64_t)(hi - lo + 1));
}

static int
demo_age(uint64_t *st)
{
	static const struct { int lo, hi, weight; } bands[] = {
		{ 16, 24, 15 }, { 25, 34, 28 }, { 35, 44, 25 },
		{ 45, 54, 15 }, { 55, 64, 10 }, { 65, 85, 7 },
	};
	int r = (int)demo_below(st, 100);
	size_t i;

	for (i = 0; i < DEMO_COUNT(bands) - 1 && r >= bands[i].weight; i++)
		r -= bands[i].weight;
	return bands[i].lo + (int)demo_below(st,
	    (uint64_t)(bands[i].hi - bands[i].lo + 1));
}

/*
 * Name, e-mail, gender, birth date and place of profile i; strings live
 * in the arena or the tables.
 */
static void
demo_person(uint64_t *st, uint32_t i, int64_t now, struct value *row,
    struct arena *a)
{
	const struct demo_country *c = demo_pick_country(st);
	const struct demo_name *first, *last;
	int female = demo_unit(st) < 0.52, kazakh, whole;
	char *s;

	kazakh = c->names == DEMO_NAMES_KZ && demo_unit(st) < 0.5;
	if (c->names == DEMO_NAMES_EN) {
		first = female ?
		    &demo_en_female[demo_below(st, DEMO_COUNT(demo_en_female))] :
		    &demo_en_male[demo_below(st, DEMO_COUNT(demo_en_male))];
		last = &demo_en_last[demo_below(st, DEMO_COUNT(demo_en_last))];
	} else if (kazakh) {
		first = female ?
		    &demo_kz_female[demo_below(st, DEMO_COUNT(demo_kz_female))] :
		    &demo_kz_male[demo_below(st, DEMO_COUNT(demo_kz_male))];
		last = &demo_kz_last[demo_below(st, DEMO_COUNT(demo_kz_last))];
	} else {
		first = female ?
		    &demo_ru_female[demo_below(st, DEMO_COUNT(demo_ru_female))] :
		    &demo_ru_male[demo_below(st, DEMO_COUNT(demo_ru_male))];
		last = &demo_ru_last[demo_below(st, DEMO_COUNT(demo_ru_last))];
	}
	demo_set_string(&row[DF_FIRST], first->text);
	/* Cyrillic surnames take the feminine ending; Latin ones do not. */
	if (female && c->names != DEMO_NAMES_EN) {
		s = arena_alloc(a, strlen(last->text) + 3);
		strcpy(s, last->text);
		strcat(s, "а");
		demo_set_string(&row[DF_LAST], s);
	} else
		demo_set_string(&row[DF_LAST], last->text);
	/*
	 * The whole first name or its initial; the number makes the address
	 * unique: names end in a letter.
	 */
	s = arena_alloc(a, 96);
	whole = demo_unit(st) < 0.7;
	snprintf(s, 96, "%.*s.%s%s%u@%s",
	    whole ? (int)strlen(first->latin) : 1, first->latin, last->latin,
	    female && c->names != DEMO_NAMES_EN ? "a" : "", i + 1,
	    demo_pick(st, c->names == DEMO_NAMES_EN ? demo_domains_world :
	    demo_domains_cis));
	demo_set_string(&row[DF_EMAIL], s);
	demo_set_string(&row[DF_GENDER], female ? "female" : "male");
	row[DF_BIRTH].present = 1;
	row[DF_BIRTH].u.date = demo_birth_date(st,
	    (int32_t)(now >= 0 ? now / DEMO_DAY : (now - DEMO_DAY + 1) / DEMO_DAY),
	    demo_age(st));
	demo_set_string(&row[DF_CITY], demo_pick(st, c->cities));
	demo_set_string(&row[DF_COUNTRY], c->code);
}

/* Registration, purchases, subscription and tags of one profile. */
static void
demo_activity(uint64_t *st, int64_t now, struct value *row,
    const char **tagv)
{
	int64_t created, purchase, span, orders = 0;
	double r, spent = 0;
	int ntags = 0;

	/* Registered during the last five years. */
	created = now - (int64_t)demo_below(st, (uint64_t)5 * 365 * DEMO_DAY);
	row[DF_CREATED].present = 1;
	row[DF_CREATED].u.dt = created;

	/* Most buyers are recent: about a quarter within the last 30 days. */
	r = demo_unit(st);
	if (r >= 0.22) {
		span = now - created;
		if (r < 0.50 && span > 0)
			purchase = now - (int64_t)demo_below(st, (uint64_t)
			    (span < 30 * DEMO_DAY ? span : 30 * DEMO_DAY));
		else if (r < 0.75 && span > 30 * DEMO_DAY)
			purchase = now - 30 * DEMO_DAY - (int64_t)demo_below(st,
			    (uint64_t)(span < 180 * DEMO_DAY ? span :
			    180 * DEMO_DAY) - 30 * DEMO_DAY);
		else
			purchase = created + (int64_t)demo_below(st,
			    (uint64_t)span);
		row[DF_PURCHASE].present = 1;
		row[DF_PURCHASE].u.dt = purchase;
		orders = 1 + (int64_t)floor(-log(1.0 - demo_unit(st)) * 3.0);
		spent = (double)orders * (500.0 + demo_unit(st) * 5500.0);
	}
	row[DF_ORDERS].present = 1;
	row[DF_ORDERS].u.i = orders;
	row[DF_SPENT].present = 1;
	row[DF_SPENT].u.f = round(spent * 100.0) / 100.0;
	row[DF_SUBSCRIBED].present = 1;
	row[DF_SUBSCRIBED].u.b = demo_unit(st) < 0.68;

	if (demo_unit(st) < 0.05)
		tagv[ntags++] = "vip";
	if (row[DF_SUBSCRIBED].u.b && demo_unit(st) < 0.7)
		tagv[ntags++] = "newsletter";
	if (demo_unit(st) < 0.3)
		tagv[ntags++] = "mobile_app";
	if (demo_unit(st) < 0.2)
		tagv[ntags++] = "loyalty";
	if (demo_unit(st) < 0.15)
		tagv[ntags++] = "promo";
	if (demo_unit(st) < 0.03)
		tagv[ntags++] = "b2b";
	if (orders > 0 && now - row[DF_PURCHASE].u.dt > 180 * DEMO_DAY &&
	    demo_unit(st) < 0.5)
		tagv[ntags++] = "churn_risk";
	row[DF_TAGS].present = ntags > 0;
	row[DF_TAGS].u.tags.v = tagv;
	row[DF_TAGS].u.tags.n = (uint32_t)ntags;
}

/* Every field of one profile; the order of draws fixes the data. */
static void
demo_profile(uint64_t *st, uint32_t i, int64_t now, struct value *row,
    const char **tagv, struct arena *a)
{
	memset(row, 0, DF_COUNT * sizeof *row);
	demo_person(st, i, now, row, a);
	demo_activity(st, now, row, tagv);
}

struct demo_write {
	struct pdb_batch	*batch;
	struct demo_events	 events;
	const struct pdb_schema	*schema;
};

/* Profiles, then their events: one transaction. */
static int
demo_apply(struct store_txn *txn, void *arg, char **cause)
{
	struct demo_write *w = arg;
	struct pdb_upsert_stats stats;

	if (pdb_batch_apply(txn, DEMO_DB, w->batch, &stats, cause) != 0)
		return -1;
	return demo_events_write(txn, w->schema, &w->events, cause);
}

/*
 * Drops "demo" when it exists, with the segments built on it: the demo
 * database is generated data, replaced as a whole.
 */
static int
demo_drop_old(struct store *store, char **cause)
{
	struct pdb_schema **list = NULL;
	struct segment **segs = NULL;
	struct store_txn *txn;
	char **names = NULL;
	size_t n = 0, nsegs = 0, nnames = 0, i;
	int found = 0, rc = 0;

	if (store_read_begin(store, &txn, cause) != 0)
		return -1;
	if (pdb_list(txn, &list, &n, cause) != 0 ||
	    seg_list(txn, &segs, &nsegs, cause) != 0) {
		store_read_end(txn);
		for (i = 0; i < n; i++)
			schema_free(list[i]);
		free(list);
		return -1;
	}
	store_read_end(txn);
	for (i = 0; i < n; i++) {
		if (strcmp(list[i]->name, DEMO_DB) == 0)
			found = 1;
		schema_free(list[i]);
	}
	free(list);
	names = xcalloc(nsegs + 1, sizeof *names);
	for (i = 0; i < nsegs; i++) {
		if (strcmp(segs[i]->db, DEMO_DB) == 0)
			names[nnames++] = xstrdup(segs[i]->name);
	}
	seg_list_free(segs, nsegs);
	for (i = 0; i < nnames && rc == 0; i++)
		rc = drop_segment(store, names[i], 1, cause);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (rc != 0)
		return -1;
	return found ? drop_database(store, DEMO_DB, cause) : 0;
}

static int
demo_generate(struct store *store, uint32_t nprofiles, int with_events,
    char **cause)
{
	struct pdb_schema *schema = NULL;
	struct demo_write w;
	struct store_txn *txn;
	struct field *fields = NULL, *evfields = NULL;
	struct value row[DF_COUNT];
	struct arena a = ARENA_INIT;
	const char *tagv[8];
	uint64_t st = DEMO_SEED;
	int64_t now = tu_now();
	size_t nfields, nevfields;
	uint32_t i;
	int rc;

	if (schema_parse_fields(demo_fields, &fields, &nfields, cause) != 0)
		return -1;
	if (schema_parse_fields(DEMO_EVENT_FIELDS, &evfields, &nevfields,
	    cause) != 0) {
		fields_free(fields, nfields);
		return -1;
	}
	rc = demo_drop_old(store, cause) != 0 ||
	    pdb_create_events(store, DEMO_DB, fields, nfields, "email",
	    evfields, nevfields, cause) != 0 ? -1 : 0;
	fields_free(fields, nfields);
	fields_free(evfields, nevfields);
	if (rc != 0)
		return -1;
	rc = -1;
	if (store_read_begin(store, &txn, cause) != 0)
		return -1;
	if (pdb_open(txn, DEMO_DB, &schema, cause) != 0) {
		store_read_end(txn);
		return -1;
	}
	store_read_end(txn);

	memset(&w, 0, sizeof w);
	w.schema = schema;
	w.batch = pdb_batch_new(schema);
	for (i = 0; i < nprofiles; i++) {
		arena_reset(&a);
		demo_profile(&st, i, now, row, tagv, &a);
		pdb_batch_add(w.batch, row);
		/* A new database: profile i gets number i. */
		if (with_events)
			demo_events_add(&w.events, i, row, now);
		if (pdb_batch_rows(w.batch) == DEMO_BATCH_ROWS ||
		    w.events.n >= DEMO_BATCH_EVENTS || i + 1 == nprofiles) {
			if (store_write(store, demo_apply, &w, cause) != 0)
				goto out;
			pdb_batch_free(w.batch);
			w.batch = pdb_batch_new(schema);
			demo_events_clear(&w.events);
		}
	}
	rc = 0;
out:
	pdb_batch_free(w.batch);
	demo_events_free(&w.events);
	arena_free(&a);
	schema_free(schema);
	return rc;
}

int
demo_create(struct store *store, uint32_t nprofiles, char **cause)
{
	return demo_generate(store, nprofiles, 1, cause);
}

int
demo_create_profiles(struct store *store, uint32_t nprofiles, char **cause)
{
	return demo_generate(store, nprofiles, 0, cause);
}
