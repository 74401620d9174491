"""SMS campaigns through Aliyun's or Tencent Cloud's SendSms, each text once, within quiet hours and caps."""
