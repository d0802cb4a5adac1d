window.YTD.tweets.part0 = [
  {
    "tweet": {
      "id_str": "1380000000000000004",
      "created_at": "Thu Apr 08 14:32:00 +0000 2021",
      "lang": "fr",
      "full_text": "Ma classe à la maison fonctionne de nouveau normalement. Merci de votre patience &amp; de votre compréhension."
    }
  },
  {
    "tweet": {
      "id_str": "1380000000000000005",
      "created_at": "Thu Apr 08 15:00:00 +0000 2021",
      "lang": "fr",
      "retweeted": false,
      "full_text": "RT @education_gouv: La continuité pédagogique est assurée."
    }
  }
]
